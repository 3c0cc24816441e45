package main

import (
	"errors"
	"fmt"
	"net/mail"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/aws/aws-cdk-go/awscdk/v2/awslogs"
)

// ErrConfig is wrapped by every error that Config validation returns, so that
// callers can tell a bad parameter from a failure of the CDK itself.
var ErrConfig = errors.New("infra: invalid parameter")

// Stage names a deployment; production keeps its data when the stack goes.
type Stage string

// The stages the app knows.
const (
	StageDev  Stage = "dev"
	StageProd Stage = "prod"
)

// RawPrefix is the S3 key prefix under which SES stores raw mail; the inbound
// function reads COACHMAIL_RAW_PREFIX + SES message id.
const RawPrefix = "inbound/"

// ExampleDomain is the documented placeholder domain that `make synth` uses on a
// machine that has not been configured; it synthesises but must not be deployed.
const ExampleDomain = "example.com"

// Config is everything the stack is parameterised by. Its zero value is not
// valid: build it with ParseConfig, which fills defaults and validates.
type Config struct {
	Domain              string   // intake and sending domain; SES identity, MX target of the receipt rule
	HostedZoneID        string   // Route 53 public hosted zone; empty: DNS records are printed as outputs
	HostedZoneName      string   // name of that zone; defaults to Domain, may be a parent of it
	FromAddress         string   // sender of every outgoing email; at Domain or a subdomain of it
	NotesAddress        string   // where coaches send notes and invitations; at Domain
	PracticeName        string   // display name of the practice in outgoing mail
	Coaches             []string // bootstrap list of coach addresses, lower case, deduplicated
	RawRetentionDays    int      // days raw mail is kept in S3
	LogRetentionDays    int      // days Lambda logs are kept; one of CloudWatch's allowed values
	AlarmEmail          string   // optional email subscribed to the alarm topic
	Stage               Stage    // dev or prod
	LogLevel            string   // DEBUG, INFO, WARN or ERROR
	DispatchConcurrency int      // reserved concurrency of dispatch; 0 reserves none
	DMARCPolicy         string   // p= of the published DMARC record: none, quarantine or reject
	AssetDir            string   // directory holding <function>.zip, relative to infra/
	Region              string   // AWS region the stack is synthesised for
	Account             string   // AWS account, empty for an environment-agnostic template
}

// Defaults for the optional parameters.
const (
	defaultRetentionDays       = 30
	defaultAssetDir            = "../build"
	defaultRegion              = "eu-west-1"
	defaultLogLevel            = "INFO"
	defaultDispatchConcurrency = 1
	defaultDMARCPolicy         = "none"
	defaultPracticeName        = "Coaching" // the functions' own default
)

// Parameters lists every context key the app reads, with the environment
// variable that supplies it when the context does not.
var Parameters = []struct{ Key, Env, Doc string }{
	{"domain", "COACHMAIL_DOMAIN", "intake and sending domain (required)"},
	{"hostedZoneId", "COACHMAIL_HOSTED_ZONE_ID", "Route 53 public hosted zone id; creates the DNS records"},
	{"hostedZoneName", "COACHMAIL_HOSTED_ZONE_NAME", "name of that zone (default: domain)"},
	{"fromAddress", "COACHMAIL_FROM_ADDRESS", "sender address (default coach@<domain>)"},
	{"notesAddress", "COACHMAIL_NOTES_ADDRESS", "intake address for coaches (default notes@<domain>)"},
	{"practiceName", "COACHMAIL_PRACTICE_NAME", "display name in outgoing mail (default Coaching)"},
	{"coaches", "COACHMAIL_COACHES", "comma-separated bootstrap list of coach addresses"},
	{"rawRetentionDays", "COACHMAIL_RAW_RETENTION_DAYS", "days raw mail is kept (default 30)"},
	{"logRetentionDays", "COACHMAIL_LOG_RETENTION_DAYS", "days logs are kept (default 30)"},
	{"alarmEmail", "COACHMAIL_ALARM_EMAIL", "address subscribed to alarms"},
	{"stage", "COACHMAIL_STAGE", "dev or prod (default dev)"},
	{"logLevel", "COACHMAIL_LOG_LEVEL", "DEBUG, INFO, WARN or ERROR (default INFO)"},
	{"dispatchConcurrency", "COACHMAIL_DISPATCH_CONCURRENCY", "reserved concurrency of dispatch, 0 for none (default 1)"},
	{"dmarcPolicy", "COACHMAIL_DMARC_POLICY", "none, quarantine or reject (default none)"},
	{"assetDir", "COACHMAIL_ASSET_DIR", "directory of the function zips (default ../build)"},
}

// Lookup returns the raw value of a parameter and whether it was given.
type Lookup func(key string) (string, bool)

// ContextThenEnv looks a parameter up in the CDK context first and then in the
// environment variable Parameters names for it. An empty value counts as unset.
func ContextThenEnv(context func(key string) any, getenv func(string) string) Lookup {
	envOf := make(map[string]string, len(Parameters))
	for _, p := range Parameters {
		envOf[p.Key] = p.Env
	}
	return func(key string) (string, bool) {
		if v := context(key); v != nil {
			// The CLI passes -c values as strings; cdk.json may hold numbers or booleans.
			if s := strings.TrimSpace(fmt.Sprint(v)); s != "" {
				return s, true
			}
		}
		if env, ok := envOf[key]; ok {
			if s := strings.TrimSpace(getenv(env)); s != "" {
				return s, true
			}
		}
		return "", false
	}
}

// ParseConfig reads every parameter through lookup, fills the defaults and
// validates the result. All problems are reported together, each wrapping
// ErrConfig and naming its parameter, so a bad run fails before any construct
// is built. region and account come from the CDK environment.
func ParseConfig(lookup Lookup, region, account string) (Config, error) {
	var errs []error
	bad := func(key, format string, args ...any) {
		errs = append(errs, fmt.Errorf("%w %s: %s", ErrConfig, key, fmt.Sprintf(format, args...)))
	}
	get := func(key, def string) string {
		if v, ok := lookup(key); ok {
			return v
		}
		return def
	}
	number := func(key string, def, lo, hi int) int {
		s, ok := lookup(key)
		if !ok {
			return def
		}
		n, err := strconv.Atoi(s)
		if err != nil || n < lo || n > hi {
			bad(key, "%q is not a whole number from %d to %d", s, lo, hi)
			return def
		}
		return n
	}

	c := Config{Region: region, Account: account}
	if c.Region == "" {
		c.Region = defaultRegion
	}
	if !regionPattern.MatchString(c.Region) {
		bad("region", "%q is not an AWS region name", c.Region)
	}

	c.Domain = strings.TrimSuffix(strings.ToLower(get("domain", "")), ".")
	switch {
	case c.Domain == "":
		bad("domain", "required: pass -c domain=mail.example.org (or set COACHMAIL_DOMAIN); `make synth` uses %s", ExampleDomain)
	case !validDomain(c.Domain):
		bad("domain", "%q is not a valid domain name", c.Domain)
	}
	// Values derived from a bad domain are not reported again.
	check := func(key string) bool {
		_, given := lookup(key)
		return given || validDomain(c.Domain)
	}

	c.HostedZoneID = get("hostedZoneId", "")
	if c.HostedZoneID != "" && !zoneIDPattern.MatchString(c.HostedZoneID) {
		bad("hostedZoneId", "%q is not a Route 53 hosted zone id (Z followed by capitals and digits)", c.HostedZoneID)
	}
	c.HostedZoneName = strings.TrimSuffix(strings.ToLower(get("hostedZoneName", c.Domain)), ".")
	if check("hostedZoneName") && validDomain(c.Domain) {
		if !validDomain(c.HostedZoneName) {
			bad("hostedZoneName", "%q is not a valid domain name", c.HostedZoneName)
		} else if !inDomain(c.Domain, c.HostedZoneName) {
			bad("hostedZoneName", "%q does not contain the domain %q", c.HostedZoneName, c.Domain)
		}
	}
	if _, given := lookup("hostedZoneName"); given && c.HostedZoneID == "" {
		bad("hostedZoneName", "given without hostedZoneId")
	}

	c.FromAddress = strings.ToLower(get("fromAddress", "coach@"+c.Domain))
	if err := checkAddress(c.FromAddress); err != nil && check("fromAddress") {
		bad("fromAddress", "%v", err)
	} else if err == nil && validDomain(c.Domain) && !inDomain(domainOf(c.FromAddress), c.Domain) {
		bad("fromAddress", "%q must be at %s (or a subdomain), the verified SES identity", c.FromAddress, c.Domain)
	}
	c.NotesAddress = strings.ToLower(get("notesAddress", "notes@"+c.Domain))
	if err := checkAddress(c.NotesAddress); err != nil && check("notesAddress") {
		bad("notesAddress", "%v", err)
	} else if err == nil && validDomain(c.Domain) && domainOf(c.NotesAddress) != c.Domain {
		bad("notesAddress", "%q must be at %s, the domain the receipt rule accepts", c.NotesAddress, c.Domain)
	}

	c.PracticeName = get("practiceName", defaultPracticeName)
	switch {
	case strings.ContainsFunc(c.PracticeName, func(r rune) bool { return r < ' ' || r == 0x7f }):
		// It ends up in a From: display name; a line break there is header injection.
		bad("practiceName", "must not contain control characters")
	case len(c.PracticeName) > 64:
		bad("practiceName", "longer than 64 bytes")
	}

	if raw, ok := lookup("coaches"); ok {
		for a := range strings.SplitSeq(raw, ",") {
			a = strings.ToLower(strings.TrimSpace(a))
			if a == "" {
				continue
			}
			if err := checkAddress(a); err != nil {
				bad("coaches", "%v", err)
				continue
			}
			if !slices.Contains(c.Coaches, a) {
				c.Coaches = append(c.Coaches, a)
			}
		}
	}

	c.RawRetentionDays = number("rawRetentionDays", defaultRetentionDays, 1, 3650)
	c.LogRetentionDays = number("logRetentionDays", defaultRetentionDays, 1, 3653)
	if _, ok := logRetention[c.LogRetentionDays]; !ok {
		bad("logRetentionDays", "%d is not a CloudWatch Logs retention period (%s)", c.LogRetentionDays, retentionChoices())
	}

	c.AlarmEmail = get("alarmEmail", "")
	if c.AlarmEmail != "" {
		if err := checkAddress(c.AlarmEmail); err != nil {
			bad("alarmEmail", "%v", err)
		}
	}

	c.Stage = Stage(strings.ToLower(get("stage", string(StageDev))))
	if c.Stage != StageDev && c.Stage != StageProd {
		bad("stage", "%q is neither %q nor %q", c.Stage, StageDev, StageProd)
	}
	c.LogLevel = strings.ToUpper(get("logLevel", defaultLogLevel))
	if !slices.Contains([]string{"DEBUG", "INFO", "WARN", "ERROR"}, c.LogLevel) {
		bad("logLevel", "%q is not DEBUG, INFO, WARN or ERROR", c.LogLevel)
	}
	c.DispatchConcurrency = number("dispatchConcurrency", defaultDispatchConcurrency, 0, 100)
	c.DMARCPolicy = strings.ToLower(get("dmarcPolicy", defaultDMARCPolicy))
	if !slices.Contains([]string{"none", "quarantine", "reject"}, c.DMARCPolicy) {
		bad("dmarcPolicy", "%q is not none, quarantine or reject", c.DMARCPolicy)
	}
	c.AssetDir = get("assetDir", defaultAssetDir)
	if c.Stage == StageProd && c.Domain == ExampleDomain {
		bad("domain", "%s is a placeholder and cannot be deployed as prod", ExampleDomain)
	}
	return c, errors.Join(errs...)
}

// ConfigFromEnvironment is ParseConfig for the synth main: CDK context first,
// then COACHMAIL_* variables, region and account from the CDK CLI's variables.
func ConfigFromEnvironment(context func(key string) any) (Config, error) {
	region := firstNonEmpty(os.Getenv("CDK_DEFAULT_REGION"), os.Getenv("AWS_REGION"), os.Getenv("AWS_DEFAULT_REGION"))
	return ParseConfig(ContextThenEnv(context, os.Getenv), region, os.Getenv("CDK_DEFAULT_ACCOUNT"))
}

// logRetention maps the retention periods CloudWatch Logs accepts to the CDK enum.
var logRetention = map[int]awslogs.RetentionDays{
	1: awslogs.RetentionDays_ONE_DAY, 3: awslogs.RetentionDays_THREE_DAYS,
	5: awslogs.RetentionDays_FIVE_DAYS, 7: awslogs.RetentionDays_ONE_WEEK,
	14: awslogs.RetentionDays_TWO_WEEKS, 30: awslogs.RetentionDays_ONE_MONTH,
	60: awslogs.RetentionDays_TWO_MONTHS, 90: awslogs.RetentionDays_THREE_MONTHS,
	120: awslogs.RetentionDays_FOUR_MONTHS, 150: awslogs.RetentionDays_FIVE_MONTHS,
	180: awslogs.RetentionDays_SIX_MONTHS, 365: awslogs.RetentionDays_ONE_YEAR,
	400: awslogs.RetentionDays_THIRTEEN_MONTHS, 545: awslogs.RetentionDays_EIGHTEEN_MONTHS,
	731: awslogs.RetentionDays_TWO_YEARS, 1096: awslogs.RetentionDays_THREE_YEARS,
	1827: awslogs.RetentionDays_FIVE_YEARS, 2192: awslogs.RetentionDays_SIX_YEARS,
	2557: awslogs.RetentionDays_SEVEN_YEARS, 2922: awslogs.RetentionDays_EIGHT_YEARS,
	3288: awslogs.RetentionDays_NINE_YEARS, 3653: awslogs.RetentionDays_TEN_YEARS,
}

func retentionChoices() string {
	days := make([]int, 0, len(logRetention))
	for d := range logRetention {
		days = append(days, d)
	}
	slices.Sort(days)
	s := make([]string, len(days))
	for i, d := range days {
		s[i] = strconv.Itoa(d)
	}
	return strings.Join(s, ", ")
}

var (
	labelPattern  = regexp.MustCompile(`^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$`)
	zoneIDPattern = regexp.MustCompile(`^Z[A-Z0-9]{1,31}$`)
	regionPattern = regexp.MustCompile(`^[a-z]{2}(-gov|-iso[a-z]*)?-[a-z]+-\d$`)
)

// validDomain accepts a fully qualified host name of at least two labels
// (RFC 1123 letters, digits and hyphens) whose top-level label is not numeric.
func validDomain(d string) bool {
	if len(d) > 253 {
		return false
	}
	labels := strings.Split(d, ".")
	if len(labels) < 2 {
		return false
	}
	for _, l := range labels {
		if !labelPattern.MatchString(l) {
			return false
		}
	}
	_, err := strconv.Atoi(labels[len(labels)-1])
	return err != nil
}

// checkAddress accepts a bare addr-spec (no display name, no comments) whose
// domain is valid; anything else would be rewritten or rejected by SES.
func checkAddress(a string) error {
	p, err := mail.ParseAddress(a)
	if err != nil || p.Name != "" || p.Address != a {
		return fmt.Errorf("%q is not a bare email address", a)
	}
	if !validDomain(domainOf(a)) {
		return fmt.Errorf("%q has no valid domain", a)
	}
	return nil
}

func domainOf(address string) string {
	return address[strings.LastIndexByte(address, '@')+1:]
}

// inDomain reports whether name is domain or one of its subdomains.
func inDomain(name, domain string) bool {
	return name == domain || strings.HasSuffix(name, "."+domain)
}

func firstNonEmpty(s ...string) string {
	for _, v := range s {
		if v != "" {
			return v
		}
	}
	return ""
}
