package main

import (
	"archive/zip"
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
	"github.com/awslabs/goformation/v7"
)

// Synthesis is slow (the CDK runs in a Node process behind jsii), so every
// test shares one app with two stacks, synthesised once: a dev stack with
// defaults and no hosted zone, and a prod stack with every parameter set.
var synthesized func() (map[string]*variant, error)

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "coachmail-infra-test-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	synthesized = sync.OnceValues(func() (map[string]*variant, error) { return synthesize(dir) })
	code := m.Run()
	// No jsii.Close: in jsii-runtime-go v1.130.0 it races with the runtime's
	// own wait for the Node process (the race detector says so); the process
	// ends with ours, when its standard input closes.
	os.RemoveAll(dir)
	os.Exit(code)
}

// variant is one synthesised stack.
type variant struct {
	c        *coachmail
	template assertions.Template
	doc      map[string]any // the template, decoded
	raw      []byte         // the template as JSON
	findings []string       // error and warning annotations left after suppressions
}

var testVariants = []struct {
	name, region, account string
	params                map[string]string
}{
	{"dev", "eu-west-1", "", map[string]string{"domain": "example.com"}},
	{"prod", "us-east-1", "123456789012", map[string]string{
		"domain":              "mail.example.org",
		"hostedZoneId":        "Z0123456789ABCDEFGHIJ",
		"hostedZoneName":      "example.org",
		"stage":               "prod",
		"alarmEmail":          "ops@example.org",
		"coaches":             "ana@example.org, Ben@Example.org",
		"practiceName":        "North Star Coaching",
		"dispatchConcurrency": "2",
		"logRetentionDays":    "90",
		"rawRetentionDays":    "7",
		"logLevel":            "debug",
		"dmarcPolicy":         "quarantine",
	}},
}

func mapLookup(m map[string]string) Lookup {
	return func(key string) (string, bool) { v, ok := m[key]; return v, ok }
}

func synthesize(dir string) (vs map[string]*variant, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("synthesise: %v", r)
		}
	}()
	assets := filepath.Join(dir, "build")
	if err := writePlaceholderZips(assets); err != nil {
		return nil, err
	}
	app := awscdk.NewApp(&awscdk.AppProps{Outdir: jsii.String(filepath.Join(dir, "cdk.out"))})
	vs = map[string]*variant{}
	for _, tv := range testVariants {
		params := maps.Clone(tv.params)
		params["assetDir"] = assets
		cfg, err := ParseConfig(mapLookup(params), tv.region, tv.account)
		if err != nil {
			return nil, fmt.Errorf("variant %s: %w", tv.name, err)
		}
		vs[tv.name] = &variant{c: newCoachmail(app, StackName(cfg), &CoachmailStackProps{StackProps: StackPropsFor(cfg), Config: cfg})}
	}
	ApplyChecks(app)
	everything := assertions.Match_StringLikeRegexp(jsii.String(".*"))
	for _, v := range vs {
		v.template = assertions.Template_FromStack(v.c.stack, nil)
		if v.raw, err = json.Marshal(v.template.ToJSON()); err != nil {
			return nil, fmt.Errorf("encode template: %w", err)
		}
		if err := json.Unmarshal(v.raw, &v.doc); err != nil {
			return nil, fmt.Errorf("decode template: %w", err)
		}
		ann := assertions.Annotations_FromStack(v.c.stack)
		msgs := append(*ann.FindError(jsii.String("*"), everything), *ann.FindWarning(jsii.String("*"), everything)...)
		for _, m := range msgs {
			//lint:ignore SA1019 the assertions package returns no other type for annotations
			v.findings = append(v.findings, fmt.Sprintf("%s %s: %v", m.Level, *m.Id, m.Entry.Data))
		}
	}
	return vs, nil
}

// writePlaceholderZips stands in for `make build`: a zip per function holding
// a file named bootstrap, enough for the CDK to stage the asset.
func writePlaceholderZips(dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	for _, name := range Functions {
		f, err := os.Create(filepath.Join(dir, name+".zip"))
		if err != nil {
			return err
		}
		zw := zip.NewWriter(f)
		w, err := zw.Create("bootstrap")
		if err == nil {
			_, err = w.Write([]byte("placeholder for " + name))
		}
		if err == nil {
			err = zw.Close()
		}
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return fmt.Errorf("placeholder %s.zip: %w", name, err)
		}
	}
	return nil
}

func fixture(t *testing.T, name string) *variant {
	t.Helper()
	vs, err := synthesized()
	if err != nil {
		t.Fatal(err)
	}
	return vs[name]
}

// try runs f and turns the panic with which jsii reports a failed CDK
// assertion into a test failure that carries the assertion's message.
func try(t *testing.T, what string, f func()) {
	t.Helper()
	defer func() {
		if r := recover(); r != nil {
			t.Fatalf("%s: %v", what, r)
		}
	}()
	f()
}

// id is the logical id of a construct's resource in the variant's template.
func (v *variant) id(t *testing.T, construct constructs.IConstruct) string {
	t.Helper()
	var id string
	try(t, "logical id", func() { id = v.c.logicalID(construct) })
	return id
}

func (v *variant) resources() map[string]any { return v.doc["Resources"].(map[string]any) }

func (v *variant) ofType(typ string) map[string]map[string]any {
	out := map[string]map[string]any{}
	for id, r := range v.resources() {
		if r := r.(map[string]any); r["Type"] == typ {
			out[id] = r
		}
	}
	return out
}

func (v *variant) props(t *testing.T, id string) map[string]any {
	t.Helper()
	r, ok := v.resources()[id].(map[string]any)
	if !ok {
		t.Fatalf("no resource %s", id)
	}
	p, _ := r["Properties"].(map[string]any)
	return p
}

// has asserts with the CDK matchers (object-like, arrays exact unless a
// matcher says otherwise) that resource id of type typ has props.
func (v *variant) has(t *testing.T, typ, id string, props map[string]any) {
	t.Helper()
	var found *map[string]*map[string]any
	try(t, typ+" "+id, func() {
		found = v.template.FindResources(jsii.String(typ), map[string]any{"Properties": props})
	})
	if _, ok := (*found)[id]; !ok {
		want, _ := json.MarshalIndent(props, "", " ")
		got, _ := json.MarshalIndent(v.props(t, id), "", " ")
		t.Fatalf("%s %s: properties do not match\nwant (object-like): %s\ngot: %s", typ, id, want, got)
	}
}

// CloudFormation expressions, as they appear in the template.
func ref(id string) map[string]any   { return map[string]any{"Ref": id} }
func arnOf(id string) map[string]any { return map[string]any{"Fn::GetAtt": []any{id, "Arn"}} }
func att(id, a string) map[string]any {
	return map[string]any{"Fn::GetAtt": []any{id, a}}
}
func join(parts ...any) map[string]any { return map[string]any{"Fn::Join": []any{"", parts}} }

var (
	accountRef   = ref("AWS::AccountId")
	partitionRef = ref("AWS::Partition")
)

func strs(s ...string) []any {
	out := make([]any, len(s))
	for i, x := range s {
		out[i] = x
	}
	return out
}

// canonical renders a value as JSON with object keys sorted, and lists of
// actions and resources sorted, so that statements compare as sets.
func canonical(x any) string {
	b, err := json.Marshal(x)
	if err != nil {
		panic(err) // only template values and literals reach here
	}
	var v any
	_ = json.Unmarshal(b, &v)
	if m, ok := v.(map[string]any); ok {
		for _, k := range []string{"Action", "Resource"} {
			if l, ok := m[k].([]any); ok {
				slices.SortFunc(l, func(a, b any) int { return strings.Compare(canonical(a), canonical(b)) })
			}
		}
		v = m
	}
	b, _ = json.Marshal(v)
	return string(b)
}

// sameSet compares two lists as sets of canonical JSON and reports the difference.
func sameSet(t *testing.T, what string, got, want []any) {
	t.Helper()
	count := func(l []any) map[string]int {
		m := map[string]int{}
		for _, x := range l {
			m[canonical(x)]++
		}
		return m
	}
	g, w := count(got), count(want)
	var diff []string
	for k, n := range w {
		if g[k] < n {
			diff = append(diff, "missing:    "+k)
		}
	}
	for k, n := range g {
		if w[k] < n {
			diff = append(diff, "unexpected: "+k)
		}
	}
	if len(diff) > 0 {
		slices.Sort(diff)
		t.Errorf("%s differs from what is expected:\n%s", what, strings.Join(diff, "\n"))
	}
}

func statementsOf(doc any) []any {
	d, _ := doc.(map[string]any)
	l, _ := d["Statement"].([]any)
	return l
}

// --- cdk-nag, goformation and the template as a whole ---

func TestNoUnsuppressedFindings(t *testing.T) {
	for _, tv := range testVariants {
		v := fixture(t, tv.name)
		for _, f := range v.findings {
			t.Errorf("%s: %s", tv.name, f)
		}
	}
}

// TestSuppressionsHaveReasons reads the suppressions back from the template
// metadata, where cdk-nag records them, and checks each is explained.
func TestSuppressionsHaveReasons(t *testing.T) {
	v := fixture(t, "dev")
	var ids []string
	for id, r := range v.resources() {
		meta, _ := r.(map[string]any)["Metadata"].(map[string]any)
		nag, _ := meta["cdk_nag"].(map[string]any)
		rules, _ := nag["rules_to_suppress"].([]any)
		for _, rule := range rules {
			rule := rule.(map[string]any)
			if reason, _ := rule["reason"].(string); len(reason) < 40 {
				t.Errorf("%s: suppression of %v has no real reason: %q", id, rule["id"], reason)
			}
			ids = append(ids, fmt.Sprint(rule["id"]))
		}
	}
	slices.Sort(ids)
	want := []string{"AwsSolutions-IAM5", "AwsSolutions-S1", "AwsSolutions-SMG4", "AwsSolutions-SMG4"}
	if !slices.Equal(ids, want) {
		t.Errorf("suppressions = %v, want %v", ids, want)
	}
}

// TestTemplateValidates parses each template with goformation, which decodes
// every resource into the type generated from the CloudFormation resource
// specification, rejecting unknown types, unknown properties and wrongly typed values.
func TestTemplateValidates(t *testing.T) {
	// Properties that CloudFormation has and goformation v7.14.9's copy of the
	// specification predates. Each is removed before parsing, after checking it
	// is there, so the list cannot hide a property we do not set.
	newer := map[string][]string{
		// Required since 2025 for public function URLs; CDK adds it.
		"AWS::Lambda::Permission": {"InvokedViaFunctionUrl"},
	}
	for _, tv := range testVariants {
		v := fixture(t, tv.name)
		var doc map[string]any
		if err := json.Unmarshal(v.raw, &doc); err != nil {
			t.Fatal(err)
		}
		seen := map[string]bool{}
		for _, r := range doc["Resources"].(map[string]any) {
			r := r.(map[string]any)
			props, _ := r["Properties"].(map[string]any)
			for _, p := range newer[r["Type"].(string)] {
				if _, ok := props[p]; ok {
					seen[p] = true
					delete(props, p)
				}
			}
		}
		for _, ps := range newer {
			for _, p := range ps {
				if !seen[p] {
					t.Errorf("%s: no resource sets %s; drop it from the list", tv.name, p)
				}
			}
		}
		b, err := json.Marshal(doc)
		if err != nil {
			t.Fatal(err)
		}
		tpl, err := goformation.ParseJSON(b)
		if err != nil {
			t.Fatalf("%s: goformation: %v", tv.name, err)
		}
		if got, want := len(tpl.Resources), len(v.resources()); got != want {
			t.Errorf("%s: goformation parsed %d resources, want %d", tv.name, got, want)
		}
		for id, r := range tpl.Resources {
			if strings.HasPrefix(r.AWSCloudFormationType(), "Custom::") {
				t.Errorf("%s: %s is a custom resource, unchecked by the specification", tv.name, id)
			}
		}
	}
}

func TestResourceCounts(t *testing.T) {
	common := map[string]int{
		"AWS::KMS::Key": 1, "AWS::DynamoDB::Table": 1,
		"AWS::S3::Bucket": 1, "AWS::S3::BucketPolicy": 1,
		"AWS::SecretsManager::Secret": 2,
		"AWS::SNS::Topic":             2, "AWS::SNS::TopicPolicy": 2,
		"AWS::IAM::Role": 4, "AWS::IAM::Policy": 4,
		"AWS::Logs::LogGroup": 4,
		"AWS::SQS::Queue":     3, "AWS::SQS::QueuePolicy": 3,
		"AWS::Lambda::Function": 4, "AWS::Lambda::EventInvokeConfig": 3,
		"AWS::Lambda::Permission": 5, "AWS::Lambda::Url": 1,
		"AWS::SES::ReceiptRuleSet": 1, "AWS::SES::ReceiptRule": 1,
		"AWS::SES::ConfigurationSet": 1, "AWS::SES::ConfigurationSetEventDestination": 1,
		"AWS::SES::EmailIdentity": 1,
		"AWS::Events::Rule":       1,
		"AWS::CloudWatch::Alarm":  14,
	}
	want := map[string]map[string]int{"dev": maps.Clone(common), "prod": maps.Clone(common)}
	want["dev"]["AWS::SNS::Subscription"] = 1  // feedback function
	want["prod"]["AWS::SNS::Subscription"] = 2 // and the alarm email
	want["prod"]["AWS::Route53::RecordSet"] = 7
	for _, tv := range testVariants {
		v := fixture(t, tv.name)
		got := map[string]int{}
		for _, r := range v.resources() {
			got[r.(map[string]any)["Type"].(string)]++
		}
		for typ, n := range want[tv.name] {
			try(t, tv.name+" "+typ, func() { v.template.ResourceCountIs(jsii.String(typ), jsii.Number(float64(n))) })
		}
		for typ, n := range got {
			if _, ok := want[tv.name][typ]; !ok {
				t.Errorf("%s: %d unexpected %s", tv.name, n, typ)
			}
		}
	}
}

// --- data: key, table, bucket, secrets ---

func TestKey(t *testing.T) {
	v := fixture(t, "dev")
	c := v.c
	root := map[string]any{"AWS": join("arn:", partitionRef, ":iam::", accountRef, ":root")}
	viaSecrets := map[string]any{"StringEquals": map[string]any{"kms:ViaService": "secretsmanager.eu-west-1.amazonaws.com"}}
	sourceAccount := map[string]any{"StringEquals": map[string]any{"aws:SourceAccount": accountRef}}
	want := []any{
		map[string]any{"Effect": "Allow", "Principal": root, "Action": "kms:*", "Resource": "*"},
		map[string]any{"Sid": "CloudWatchLogsEncryptsOurLogGroups", "Effect": "Allow",
			"Principal": map[string]any{"Service": "logs.eu-west-1.amazonaws.com"},
			"Action": strs("kms:Decrypt", "kms:DescribeKey", "kms:Encrypt", "kms:GenerateDataKey",
				"kms:GenerateDataKeyWithoutPlaintext", "kms:ReEncryptFrom", "kms:ReEncryptTo"),
			"Resource": "*",
			"Condition": map[string]any{"ArnLike": map[string]any{"kms:EncryptionContext:aws:logs:arn": join(
				"arn:", partitionRef, ":logs:eu-west-1:", accountRef, ":log-group:*")}}},
		map[string]any{"Sid": "SESWritesRawMailAndFeedback", "Effect": "Allow",
			"Principal": map[string]any{"Service": "ses.amazonaws.com"},
			"Action":    strs("kms:Decrypt", "kms:GenerateDataKey"), "Resource": "*", "Condition": sourceAccount},
		map[string]any{"Sid": "CloudWatchPublishesAlarms", "Effect": "Allow",
			"Principal": map[string]any{"Service": "cloudwatch.amazonaws.com"},
			"Action":    strs("kms:Decrypt", "kms:GenerateDataKey"), "Resource": "*", "Condition": sourceAccount},
		// Added by the CDK's Secret for a customer-managed key: Secrets Manager
		// works with the key on behalf of principals of the account.
		map[string]any{"Effect": "Allow", "Principal": root, "Resource": "*", "Condition": viaSecrets,
			"Action": strs("kms:Decrypt", "kms:Encrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*")},
		map[string]any{"Effect": "Allow", "Principal": root, "Resource": "*", "Condition": viaSecrets,
			"Action": strs("kms:CreateGrant", "kms:DescribeKey")},
	}
	for _, fn := range []string{FnInbound, FnDispatch, FnUnsubscribe} { // the token secret's readers
		want = append(want, map[string]any{"Effect": "Allow", "Action": "kms:Decrypt", "Resource": "*",
			"Principal": map[string]any{"AWS": arnOf(v.id(t, c.roles[fn]))}, "Condition": viaSecrets})
	}
	id := v.id(t, c.key)
	v.has(t, "AWS::KMS::Key", id, map[string]any{"EnableKeyRotation": true, "PendingWindowInDays": 30})
	sameSet(t, "key policy", statementsOf(v.props(t, id)["KeyPolicy"]), want)
}

func TestTable(t *testing.T) {
	for _, tv := range testVariants {
		v := fixture(t, tv.name)
		gsi := func(n string) map[string]any {
			return map[string]any{
				"IndexName": n,
				"KeySchema": []any{
					map[string]any{"AttributeName": n + "PK", "KeyType": "HASH"},
					map[string]any{"AttributeName": n + "SK", "KeyType": "RANGE"},
				},
				"Projection": map[string]any{"ProjectionType": "ALL"},
			}
		}
		attrs := []any{}
		for _, a := range []string{"PK", "SK", "GSI1PK", "GSI1SK", "GSI2PK", "GSI2SK"} {
			attrs = append(attrs, map[string]any{"AttributeName": a, "AttributeType": "S"})
		}
		id := v.id(t, v.c.table)
		v.has(t, "AWS::DynamoDB::Table", id, map[string]any{
			"KeySchema": []any{
				map[string]any{"AttributeName": "PK", "KeyType": "HASH"},
				map[string]any{"AttributeName": "SK", "KeyType": "RANGE"},
			},
			"AttributeDefinitions":             attrs,
			"GlobalSecondaryIndexes":           []any{gsi("GSI1"), gsi("GSI2")},
			"BillingMode":                      "PAY_PER_REQUEST",
			"PointInTimeRecoverySpecification": map[string]any{"PointInTimeRecoveryEnabled": true},
			"TimeToLiveSpecification":          map[string]any{"AttributeName": "ttl", "Enabled": true},
			"SSESpecification": map[string]any{
				"SSEEnabled": true, "SSEType": "KMS", "KMSMasterKeyId": arnOf(v.id(t, v.c.key)),
			},
			"DeletionProtectionEnabled": tv.name == "prod",
		})
	}
}

// TestRemovalPolicies: production keeps every store of data when the stack
// is deleted; development removes them.
func TestRemovalPolicies(t *testing.T) {
	for _, tv := range testVariants {
		v := fixture(t, tv.name)
		want := "Delete"
		if tv.name == "prod" {
			want = "Retain"
		}
		for _, typ := range []string{"AWS::KMS::Key", "AWS::DynamoDB::Table", "AWS::S3::Bucket",
			"AWS::SecretsManager::Secret", "AWS::Logs::LogGroup", "AWS::SQS::Queue"} {
			for id, r := range v.ofType(typ) {
				if got := r["DeletionPolicy"]; got != want {
					t.Errorf("%s: %s %s DeletionPolicy = %v, want %s", tv.name, typ, id, got, want)
				}
			}
		}
	}
}

func TestBucket(t *testing.T) {
	for _, tv := range testVariants {
		v := fixture(t, tv.name)
		c := v.c
		id := v.id(t, c.bucket)
		days := 30.0
		if tv.name == "prod" {
			days = 7
		}
		v.has(t, "AWS::S3::Bucket", id, map[string]any{
			"BucketEncryption": map[string]any{"ServerSideEncryptionConfiguration": []any{map[string]any{
				"BucketKeyEnabled": true,
				"ServerSideEncryptionByDefault": map[string]any{
					"SSEAlgorithm": "aws:kms", "KMSMasterKeyID": arnOf(v.id(t, c.key)),
				},
			}}},
			"PublicAccessBlockConfiguration": map[string]any{
				"BlockPublicAcls": true, "BlockPublicPolicy": true, "IgnorePublicAcls": true, "RestrictPublicBuckets": true,
			},
			"OwnershipControls": map[string]any{"Rules": []any{map[string]any{"ObjectOwnership": "BucketOwnerEnforced"}}},
			"LifecycleConfiguration": map[string]any{"Rules": []any{map[string]any{
				"Id": "expire-raw-mail", "Prefix": "inbound/", "Status": "Enabled",
				"ExpirationInDays":               days,
				"AbortIncompleteMultipartUpload": map[string]any{"DaysAfterInitiation": 1},
			}}},
		})
		account := any(accountRef)
		if tv.account != "" {
			account = tv.account
		}
		bucketARN := arnOf(id)
		objects := []any{bucketARN, join(bucketARN, "/*")}
		// Literal parts next to each other are one string in a Fn::Join.
		ruleARN := join("arn:", partitionRef, ":ses:"+tv.region+":"+tv.account+":receipt-rule-set/",
			ref(v.id(t, c.ruleSet)), ":receipt-rule/coachmail-intake")
		if tv.account == "" {
			ruleARN = join("arn:", partitionRef, ":ses:"+tv.region+":", accountRef, ":receipt-rule-set/",
				ref(v.id(t, c.ruleSet)), ":receipt-rule/coachmail-intake")
		}
		want := []any{
			map[string]any{"Effect": "Deny", "Principal": map[string]any{"AWS": "*"}, "Action": "s3:*", "Resource": objects,
				"Condition": map[string]any{"Bool": map[string]any{"aws:SecureTransport": "false"}}},
			map[string]any{"Effect": "Deny", "Principal": map[string]any{"AWS": "*"}, "Action": "s3:*", "Resource": objects,
				"Condition": map[string]any{"NumericLessThan": map[string]any{"s3:TlsVersion": 1.2}}},
			map[string]any{"Sid": "SESStoresReceivedMail", "Effect": "Allow",
				"Principal": map[string]any{"Service": "ses.amazonaws.com"},
				"Action":    "s3:PutObject", "Resource": join(bucketARN, "/inbound/*"),
				"Condition": map[string]any{"StringEquals": map[string]any{"aws:SourceAccount": account, "aws:SourceArn": ruleARN}}},
		}
		policies := v.ofType("AWS::S3::BucketPolicy")
		for pid := range policies {
			p := v.props(t, pid)
			if canonical(p["Bucket"]) != canonical(ref(id)) {
				t.Errorf("%s: bucket policy %s is not on the raw mail bucket", tv.name, pid)
			}
			sameSet(t, tv.name+" bucket policy", statementsOf(p["PolicyDocument"]), want)
		}
	}
}

func TestTokenSecret(t *testing.T) {
	v := fixture(t, "dev")
	c := v.c
	key := arnOf(v.id(t, c.key))
	v.has(t, "AWS::SecretsManager::Secret", v.id(t, c.seed), map[string]any{
		"KmsKeyId": key,
		"GenerateSecretString": map[string]any{
			"PasswordLength": 64, "ExcludePunctuation": true, "IncludeSpace": false,
		},
	})
	v.has(t, "AWS::SecretsManager::Secret", v.id(t, c.secret), map[string]any{
		"KmsKeyId": key,
		"SecretString": join(`{"current":"k1","keys":{"k1":"{{resolve:secretsmanager:`, ref(v.id(t, c.seed)),
			`:SecretString:::}}"}}`),
	})
	// The literal parts of the value, with the reference filled by a sample
	// key, must be the JSON the functions decode.
	sample := `{"current":"k1","keys":{"k1":"` + strings.Repeat("aB3", 21) + `c"}}`
	var parsed struct {
		Current string            `json:"current"`
		Keys    map[string]string `json:"keys"`
	}
	if err := json.Unmarshal([]byte(sample), &parsed); err != nil || parsed.Keys[parsed.Current] == "" {
		t.Errorf("token secret shape %s: current key not found (%v)", sample, err)
	}
}

// --- functions and their roles ---

func TestFunctions(t *testing.T) {
	for _, tv := range testVariants {
		v := fixture(t, tv.name)
		c := v.c
		level := "INFO"
		if tv.name == "prod" {
			level = "DEBUG"
		}
		sizes := map[string][2]int{ // memory MB, timeout s
			FnInbound: {1024, 60}, FnDispatch: {256, 55}, FnFeedback: {256, 30}, FnUnsubscribe: {256, 10},
		}
		for _, name := range Functions {
			props := map[string]any{
				"Runtime":       "provided.al2023",
				"Architectures": strs("arm64"),
				"Handler":       "bootstrap",
				"MemorySize":    sizes[name][0],
				"Timeout":       sizes[name][1],
				"Role":          arnOf(v.id(t, c.roles[name])),
				"LoggingConfig": map[string]any{
					"LogFormat": "JSON", "ApplicationLogLevel": level, "SystemLogLevel": "INFO",
					"LogGroup": ref(v.id(t, c.logs[name])),
				},
			}
			if dlq, ok := c.dlqs[name]; ok {
				props["DeadLetterConfig"] = map[string]any{"TargetArn": arnOf(v.id(t, dlq))}
			} else {
				props["DeadLetterConfig"] = assertions.Match_Absent()
			}
			switch {
			case name == FnDispatch && tv.name == "prod":
				props["ReservedConcurrentExecutions"] = 2
			case name == FnDispatch:
				props["ReservedConcurrentExecutions"] = 1
			default:
				props["ReservedConcurrentExecutions"] = assertions.Match_Absent()
			}
			v.has(t, "AWS::Lambda::Function", v.id(t, c.fns[name]), props)
		}
		// Asynchronous invocations: retries and age, then the DLQ.
		for name, want := range map[string][2]float64{FnInbound: {2, 21600}, FnDispatch: {0, 120}, FnFeedback: {2, 21600}} {
			fnID := v.id(t, c.fns[name])
			found := false
			for id := range v.ofType("AWS::Lambda::EventInvokeConfig") {
				p := v.props(t, id)
				if canonical(p["FunctionName"]) == canonical(ref(fnID)) {
					found = true
					v.has(t, "AWS::Lambda::EventInvokeConfig", id, map[string]any{
						"MaximumRetryAttempts": want[0], "MaximumEventAgeInSeconds": want[1], "Qualifier": "$LATEST",
					})
				}
			}
			if !found {
				t.Errorf("%s: %s has no event invoke config", tv.name, name)
			}
		}
	}
}

// TestFunctionEnvironment: each function gets the variables it needs, and no others.
func TestFunctionEnvironment(t *testing.T) {
	for _, tv := range testVariants {
		v := fixture(t, tv.name)
		c := v.c
		cfg := c.cfg
		table, secret := ref(v.id(t, c.table)), ref(v.id(t, c.secret))
		want := map[string]map[string]any{
			FnInbound: {
				envTable: table, envLogLevel: cfg.LogLevel, envTokenSecretARN: secret,
				envRawBucket: ref(v.id(t, c.bucket)), envRawPrefix: "inbound/",
				envIntakeDomain: cfg.Domain, envFromAddress: cfg.FromAddress, envNotesAddress: cfg.NotesAddress,
			},
			FnDispatch: {
				envTable: table, envLogLevel: cfg.LogLevel, envTokenSecretARN: secret,
				envIntakeDomain: cfg.Domain, envFromAddress: cfg.FromAddress, envNotesAddress: cfg.NotesAddress,
				envPracticeName: cfg.PracticeName, envConfigSet: ref(v.id(t, c.configSet)),
				envUnsubscribeURL: att(v.id(t, c.url), "FunctionUrl"),
			},
			FnFeedback: {envTable: table, envLogLevel: cfg.LogLevel},
			FnUnsubscribe: {
				envTable: table, envLogLevel: cfg.LogLevel, envTokenSecretARN: secret, envPracticeName: cfg.PracticeName,
			},
		}
		if tv.name == "prod" {
			want[FnInbound][envBootstrapCoaches] = "ana@example.org,ben@example.org"
		}
		for name, env := range want {
			got := v.props(t, v.id(t, c.fns[name]))["Environment"].(map[string]any)["Variables"]
			if g, w := canonical(got), canonical(env); g != w {
				t.Errorf("%s: %s environment = %s, want %s", tv.name, name, g, w)
			}
		}
		if got, want := cfg.FromAddress, "coach@"+cfg.Domain; got != want {
			t.Errorf("%s: default fromAddress = %s, want %s", tv.name, got, want)
		}
	}
}

// TestRolePolicies asserts every action each function may take, exactly.
func TestRolePolicies(t *testing.T) {
	v := fixture(t, "dev")
	c := v.c
	key := arnOf(v.id(t, c.key))
	table := arnOf(v.id(t, c.table))
	via := func(svc string) map[string]any {
		return map[string]any{"StringEquals": map[string]any{"kms:ViaService": svc + ".eu-west-1.amazonaws.com"}}
	}
	common := func(name string) []any {
		return []any{
			map[string]any{"Effect": "Allow", "Action": strs("logs:CreateLogStream", "logs:PutLogEvents"),
				"Resource": arnOf(v.id(t, c.logs[name]))},
			map[string]any{"Sid": "TableData", "Effect": "Allow", "Action": strs(
				"dynamodb:BatchGetItem", "dynamodb:BatchWriteItem", "dynamodb:ConditionCheckItem", "dynamodb:DeleteItem",
				"dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:Query", "dynamodb:UpdateItem"),
				"Resource": []any{table, join(table, "/index/GSI1"), join(table, "/index/GSI2")}},
			map[string]any{"Sid": "TableKey", "Effect": "Allow", "Resource": key, "Condition": via("dynamodb"),
				"Action": strs("kms:Decrypt", "kms:DescribeKey", "kms:Encrypt", "kms:GenerateDataKey")},
		}
	}
	dlq := func(name string) []any {
		return []any{
			map[string]any{"Sid": "SendToEncryptedDLQ", "Effect": "Allow", "Resource": key, "Condition": via("sqs"),
				"Action": strs("kms:Decrypt", "kms:GenerateDataKey")},
			map[string]any{"Effect": "Allow", "Action": "sqs:SendMessage", "Resource": arnOf(v.id(t, c.dlqs[name]))},
		}
	}
	secret := map[string]any{"Effect": "Allow", "Resource": ref(v.id(t, c.secret)),
		"Action": strs("secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret")}
	sesARN := func(resource any) any {
		return join("arn:", partitionRef, ":ses:eu-west-1:", accountRef, resource)
	}
	want := map[string][]any{
		FnInbound: slices.Concat(common(FnInbound), dlq(FnInbound), []any{
			secret,
			map[string]any{"Sid": "ReadRawMail", "Effect": "Allow", "Action": "s3:GetObject",
				"Resource": join(arnOf(v.id(t, c.bucket)), "/inbound/*")},
			map[string]any{"Sid": "RawMailKey", "Effect": "Allow", "Action": "kms:Decrypt", "Resource": key, "Condition": via("s3")},
		}),
		FnDispatch: slices.Concat(common(FnDispatch), dlq(FnDispatch), []any{
			secret,
			map[string]any{"Sid": "SendThroughIdentityAndConfigurationSet", "Effect": "Allow", "Action": "ses:SendEmail",
				"Resource": []any{
					sesARN(":identity/example.com"),
					join("arn:", partitionRef, ":ses:eu-west-1:", accountRef, ":configuration-set/", ref(v.id(t, c.configSet))),
				}},
		}),
		FnFeedback:    slices.Concat(common(FnFeedback), dlq(FnFeedback)),
		FnUnsubscribe: append(common(FnUnsubscribe), secret),
	}

	policies := v.ofType("AWS::IAM::Policy")
	for _, name := range Functions {
		roleID := v.id(t, c.roles[name])
		v.has(t, "AWS::IAM::Role", roleID, map[string]any{
			"AssumeRolePolicyDocument": map[string]any{"Statement": []any{map[string]any{
				"Action": "sts:AssumeRole", "Effect": "Allow",
				"Principal": map[string]any{"Service": "lambda.amazonaws.com"},
			}}},
			"ManagedPolicyArns": assertions.Match_Absent(),
			"Policies":          assertions.Match_Absent(),
		})
		var got []any
		for id := range policies {
			p := v.props(t, id)
			if canonical(p["Roles"]) == canonical([]any{ref(roleID)}) {
				got = append(got, statementsOf(p["PolicyDocument"])...)
			}
		}
		sameSet(t, name+" role policy", got, want[name])
	}
}

// TestNoWildcardResources: no Allow statement in any policy of the template
// names a resource with a wildcard, but those listed here with their reason;
// identity policies name no wildcard action either.
func TestNoWildcardResources(t *testing.T) {
	for _, tv := range testVariants {
		v := fixture(t, tv.name)
		rawObjects := canonical(join(arnOf(v.id(t, v.c.bucket)), "/inbound/*"))
		allowed := map[string]map[string]string{
			"AWS::KMS::Key": {canonical("*"): "in a key policy, * is the key itself"},
			"AWS::IAM::Policy": {rawObjects: "raw mail objects are named by SES message id, unknown at deploy time; " +
				"only the inbound/ prefix of our bucket"},
			"AWS::S3::BucketPolicy": {rawObjects: "SES stores each message under inbound/<message id>"},
		}
		// The CDK's own key policy statements: administration by the account
		// (IAM decides), and Secrets Manager's use of the key for our secrets.
		allowedActions := map[string]bool{"kms:*": true, "kms:ReEncrypt*": true, "kms:GenerateDataKey*": true}
		docs := map[string]string{
			"AWS::IAM::Policy": "PolicyDocument", "AWS::S3::BucketPolicy": "PolicyDocument",
			"AWS::SNS::TopicPolicy": "PolicyDocument", "AWS::SQS::QueuePolicy": "PolicyDocument",
			"AWS::KMS::Key": "KeyPolicy",
		}
		checked := 0
		for typ, field := range docs {
			for id := range v.ofType(typ) {
				for _, s := range statementsOf(v.props(t, id)[field]) {
					s := s.(map[string]any)
					if s["Effect"] != "Allow" {
						continue // a Deny with a wildcard only narrows
					}
					checked++
					resources, ok := s["Resource"].([]any)
					if !ok {
						resources = []any{s["Resource"]}
					}
					for _, r := range resources {
						cr := canonical(r)
						if strings.Contains(cr, "*") && allowed[typ][cr] == "" {
							t.Errorf("%s: %s %s allows %v on wildcard resource %s", tv.name, typ, id, s["Action"], cr)
						}
					}
					actions, ok := s["Action"].([]any)
					if !ok {
						actions = []any{s["Action"]}
					}
					for _, a := range actions {
						if a := a.(string); strings.Contains(a, "*") && !(typ == "AWS::KMS::Key" && allowedActions[a]) {
							t.Errorf("%s: %s %s allows wildcard action %s", tv.name, typ, id, a)
						}
					}
				}
			}
		}
		if checked < 10 {
			t.Errorf("%s: only %d Allow statements checked; the walk is broken", tv.name, checked)
		}
	}
}

func TestLambdaPermissions(t *testing.T) {
	v := fixture(t, "dev")
	c := v.c
	ruleARN := join("arn:", partitionRef, ":ses:eu-west-1:", accountRef, ":receipt-rule-set/",
		ref(v.id(t, c.ruleSet)), ":receipt-rule/coachmail-intake")
	unsubscribe := arnOf(v.id(t, c.fns[FnUnsubscribe]))
	want := []any{
		map[string]any{"Action": "lambda:InvokeFunction", "FunctionName": arnOf(v.id(t, c.fns[FnInbound])),
			"Principal": "ses.amazonaws.com", "SourceAccount": accountRef, "SourceArn": ruleARN},
		map[string]any{"Action": "lambda:InvokeFunction", "FunctionName": arnOf(v.id(t, c.fns[FnFeedback])),
			"Principal": "sns.amazonaws.com", "SourceArn": ref(v.id(t, c.feedbackTopic))},
		map[string]any{"Action": "lambda:InvokeFunction", "FunctionName": arnOf(v.id(t, c.fns[FnDispatch])),
			"Principal": "events.amazonaws.com", "SourceArn": arnOf(v.id(t, c.schedule))},
		map[string]any{"Action": "lambda:InvokeFunctionUrl", "FunctionName": unsubscribe,
			"Principal": "*", "FunctionUrlAuthType": "NONE"},
		map[string]any{"Action": "lambda:InvokeFunction", "FunctionName": unsubscribe,
			"Principal": "*", "InvokedViaFunctionUrl": true},
	}
	var got []any
	for id := range v.ofType("AWS::Lambda::Permission") {
		got = append(got, v.props(t, id))
	}
	sameSet(t, "Lambda permissions", got, want)
	v.has(t, "AWS::Lambda::Url", v.id(t, c.url), map[string]any{
		"AuthType": "NONE", "TargetFunctionArn": unsubscribe, "Cors": assertions.Match_Absent(),
	})
}

// --- SES, schedule, queues and topics ---

func TestReceiving(t *testing.T) {
	for _, tv := range testVariants {
		v := fixture(t, tv.name)
		c := v.c
		ruleID := v.id(t, c.rule)
		v.has(t, "AWS::SES::ReceiptRule", ruleID, map[string]any{
			"RuleSetName": ref(v.id(t, c.ruleSet)),
			"Rule": map[string]any{
				"Name": "coachmail-intake", "Enabled": true, "ScanEnabled": true, "TlsPolicy": "Optional",
				"Recipients": strs(c.cfg.Domain),
				"Actions": []any{
					map[string]any{"S3Action": map[string]any{"BucketName": ref(v.id(t, c.bucket)), "ObjectKeyPrefix": "inbound/",
						"KmsKeyArn": assertions.Match_Absent()}},
					map[string]any{"LambdaAction": map[string]any{"FunctionArn": arnOf(v.id(t, c.fns[FnInbound])), "InvocationType": "Event"}},
				},
			},
		})
		// SES tests that it can write and invoke when the rule is created.
		deps, _ := v.resources()[ruleID].(map[string]any)["DependsOn"].([]any)
		for _, need := range []string{v.id(t, c.bucket.Policy()), v.id(t, c.sesInvoke)} {
			if !slices.Contains(deps, any(need)) {
				t.Errorf("%s: receipt rule DependsOn = %v, want it to include %s", tv.name, deps, need)
			}
		}
	}
}

func TestSending(t *testing.T) {
	for _, tv := range testVariants {
		v := fixture(t, tv.name)
		c := v.c
		v.has(t, "AWS::SES::EmailIdentity", v.id(t, c.identity), map[string]any{
			"EmailIdentity":              c.cfg.Domain,
			"DkimAttributes":             map[string]any{"SigningEnabled": true},
			"DkimSigningAttributes":      map[string]any{"NextSigningKeyLength": "RSA_2048_BIT"},
			"MailFromAttributes":         map[string]any{"MailFromDomain": "bounce." + c.cfg.Domain, "BehaviorOnMxFailure": "USE_DEFAULT_VALUE"},
			"ConfigurationSetAttributes": map[string]any{"ConfigurationSetName": ref(v.id(t, c.configSet))},
		})
		v.has(t, "AWS::SES::ConfigurationSet", v.id(t, c.configSet), map[string]any{
			"ReputationOptions":  map[string]any{"ReputationMetricsEnabled": true},
			"SendingOptions":     map[string]any{"SendingEnabled": true},
			"SuppressionOptions": map[string]any{"SuppressedReasons": strs("BOUNCE", "COMPLAINT")},
		})
		topic := ref(v.id(t, c.feedbackTopic))
		for id := range v.ofType("AWS::SES::ConfigurationSetEventDestination") {
			v.has(t, "AWS::SES::ConfigurationSetEventDestination", id, map[string]any{
				"ConfigurationSetName": ref(v.id(t, c.configSet)),
				"EventDestination": map[string]any{
					"Enabled": true, "MatchingEventTypes": strs("bounce", "complaint"),
					"SnsDestination": map[string]any{"TopicARN": topic},
				},
			})
		}
		v.has(t, "AWS::SNS::Subscription", findID(t, v, "AWS::SNS::Subscription", "Protocol", "lambda"), map[string]any{
			"TopicArn": topic, "Endpoint": arnOf(v.id(t, c.fns[FnFeedback])),
		})
	}
}

// findID returns the one resource of typ whose property key equals value.
func findID(t *testing.T, v *variant, typ, key string, value any) string {
	t.Helper()
	var ids []string
	for id := range v.ofType(typ) {
		if canonical(v.props(t, id)[key]) == canonical(value) {
			ids = append(ids, id)
		}
	}
	if len(ids) != 1 {
		t.Fatalf("%s with %s=%v: found %v, want exactly one", typ, key, value, ids)
	}
	return ids[0]
}

func TestSchedule(t *testing.T) {
	v := fixture(t, "dev")
	v.has(t, "AWS::Events::Rule", v.id(t, v.c.schedule), map[string]any{
		"ScheduleExpression": "rate(1 minute)",
		"State":              "ENABLED",
		"Targets": []any{map[string]any{
			"Arn":         arnOf(v.id(t, v.c.fns[FnDispatch])),
			"RetryPolicy": map[string]any{"MaximumRetryAttempts": 2, "MaximumEventAgeInSeconds": 120},
		}},
	})
}

// TestEncryptedAtRest: every queue, topic and log group uses the stack's key,
// and every queue and topic refuses requests without TLS.
func TestEncryptedAtRest(t *testing.T) {
	for _, tv := range testVariants {
		v := fixture(t, tv.name)
		key := arnOf(v.id(t, v.c.key))
		for typ, field := range map[string]string{
			"AWS::SQS::Queue": "KmsMasterKeyId", "AWS::SNS::Topic": "KmsMasterKeyId", "AWS::Logs::LogGroup": "KmsKeyId",
		} {
			for id := range v.ofType(typ) {
				v.has(t, typ, id, map[string]any{field: key})
			}
		}
		tlsOnly := func(typ string) {
			for id := range v.ofType(typ) {
				deny := false
				for _, s := range statementsOf(v.props(t, id)["PolicyDocument"]) {
					s := s.(map[string]any)
					cond := canonical(s["Condition"])
					deny = deny || s["Effect"] == "Deny" && cond == canonical(map[string]any{"Bool": map[string]any{"aws:SecureTransport": "false"}})
				}
				if !deny {
					t.Errorf("%s: %s %s does not deny requests without TLS", tv.name, typ, id)
				}
			}
		}
		tlsOnly("AWS::SQS::QueuePolicy")
		tlsOnly("AWS::SNS::TopicPolicy")
	}
}

// TestLogGroups: every function logs to its own log group, with the
// configured retention.
func TestLogGroups(t *testing.T) {
	for _, tv := range testVariants {
		v := fixture(t, tv.name)
		days := 30
		if tv.name == "prod" {
			days = 90
		}
		for id := range v.ofType("AWS::Lambda::Function") {
			group, _ := v.props(t, id)["LoggingConfig"].(map[string]any)["LogGroup"].(map[string]any)
			gid, _ := group["Ref"].(string)
			v.has(t, "AWS::Logs::LogGroup", gid, map[string]any{"RetentionInDays": days})
		}
	}
}

func TestAlarms(t *testing.T) {
	for _, tv := range testVariants {
		v := fixture(t, tv.name)
		c := v.c
		topic := ref(v.id(t, c.alarms))
		type alarm struct {
			namespace, metric, stat string
			period                  int
			threshold               float64
			dims                    any
		}
		var want []any
		add := func(a alarm) {
			m := map[string]any{
				"Namespace": a.namespace, "MetricName": a.metric, "Statistic": a.stat, "Period": a.period,
				"Threshold": a.threshold, "EvaluationPeriods": 1, "ComparisonOperator": "GreaterThanOrEqualToThreshold",
				"TreatMissingData": "notBreaching", "AlarmActions": []any{topic},
			}
			if a.dims != nil {
				m["Dimensions"] = a.dims
			}
			want = append(want, m)
		}
		for _, name := range Functions {
			dims := []any{map[string]any{"Name": "FunctionName", "Value": ref(v.id(t, c.fns[name]))}}
			add(alarm{"AWS/Lambda", "Errors", "Sum", 300, 1, dims})
			add(alarm{"AWS/Lambda", "Throttles", "Sum", 300, 1, dims})
			if q, ok := c.dlqs[name]; ok {
				add(alarm{"AWS/SQS", "ApproximateNumberOfMessagesVisible", "Maximum", 300, 1,
					[]any{map[string]any{"Name": "QueueName", "Value": att(v.id(t, q), "QueueName")}}})
			}
		}
		add(alarm{"Coachmail", "Quarantined", "Sum", 3600, 10, nil})
		add(alarm{"AWS/SES", "Reputation.BounceRate", "Maximum", 3600, 0.05, nil})
		add(alarm{"AWS/SES", "Reputation.ComplaintRate", "Maximum", 3600, 0.001, nil})
		var got []any
		for id := range v.ofType("AWS::CloudWatch::Alarm") {
			p := maps.Clone(v.props(t, id))
			if d, _ := p["AlarmDescription"].(string); !strings.Contains(d, " ") {
				t.Errorf("%s: alarm %s has no description", tv.name, id)
			}
			delete(p, "AlarmDescription")
			got = append(got, p)
		}
		sameSet(t, tv.name+" alarms", got, want)

		email := v.ofType("AWS::SNS::Subscription")
		var emails []string
		for id := range email {
			if p := v.props(t, id); p["Protocol"] == "email" {
				emails = append(emails, fmt.Sprint(p["Endpoint"]))
				if canonical(p["TopicArn"]) != canonical(topic) {
					t.Errorf("%s: email subscription %s is not on the alarm topic", tv.name, id)
				}
			}
		}
		wantEmails := []string(nil)
		if tv.name == "prod" {
			wantEmails = []string{"ops@example.org"}
		}
		if !slices.Equal(emails, wantEmails) {
			t.Errorf("%s: alarm email subscriptions = %v, want %v", tv.name, emails, wantEmails)
		}
	}
}

// --- DNS ---

func dkim(v *variant, t *testing.T, n string) (name, value any) {
	id := v.id(t, v.c.identity)
	return att(id, "DkimDNSTokenName"+n), att(id, "DkimDNSTokenValue"+n)
}

// TestDNSRecordsAsOutputs: without a hosted zone the stack prints each record.
func TestDNSRecordsAsOutputs(t *testing.T) {
	v := fixture(t, "dev")
	outputs := v.doc["Outputs"].(map[string]any)
	want := map[string]any{
		"DnsIntakeMX":    "example.com. MX 10 inbound-smtp.eu-west-1.amazonaws.com",
		"DnsMailFromMX":  "bounce.example.com. MX 10 feedback-smtp.eu-west-1.amazonses.com",
		"DnsMailFromSPF": `bounce.example.com. TXT "v=spf1 include:amazonses.com ~all"`,
		"DnsDMARC":       `_dmarc.example.com. TXT "v=DMARC1; p=none"`,
	}
	for _, n := range []string{"1", "2", "3"} {
		name, value := dkim(v, t, n)
		want["DnsDkim"+n] = join(name, ". CNAME ", value)
	}
	for id, w := range want {
		o, _ := outputs[id].(map[string]any)
		if g := canonical(o["Value"]); g != canonical(w) {
			t.Errorf("output %s = %s, want %s", id, g, canonical(w))
		}
	}
	if n := len(v.ofType("AWS::Route53::RecordSet")); n != 0 {
		t.Errorf("%d Route 53 records without a hosted zone, want 0", n)
	}
}

// TestDNSRecordsInZone: with a hosted zone the stack creates the records,
// and prints none.
func TestDNSRecordsInZone(t *testing.T) {
	v := fixture(t, "prod")
	record := func(name any, typ string, values ...any) any {
		return map[string]any{"HostedZoneId": "Z0123456789ABCDEFGHIJ", "Name": name, "Type": typ,
			"ResourceRecords": values, "TTL": "3600"}
	}
	want := []any{
		record("mail.example.org.", "MX", "10 inbound-smtp.us-east-1.amazonaws.com"),
		record("bounce.mail.example.org.", "MX", "10 feedback-smtp.us-east-1.amazonses.com"),
		record("bounce.mail.example.org.", "TXT", `"v=spf1 include:amazonses.com ~all"`),
		record("_dmarc.mail.example.org.", "TXT", `"v=DMARC1; p=quarantine"`),
	}
	for _, n := range []string{"1", "2", "3"} {
		name, value := dkim(v, t, n)
		want = append(want, record(join(name, "."), "CNAME", value))
	}
	var got []any
	for id := range v.ofType("AWS::Route53::RecordSet") {
		got = append(got, v.props(t, id))
	}
	sameSet(t, "Route 53 records", got, want)
	for id := range v.doc["Outputs"].(map[string]any) {
		if strings.HasPrefix(id, "Dns") {
			t.Errorf("output %s printed although the records are created", id)
		}
	}
}

func TestOutputs(t *testing.T) {
	v := fixture(t, "dev")
	c := v.c
	for id, want := range map[string]any{
		"TableName":              ref(v.id(t, c.table)),
		"RawMailBucket":          ref(v.id(t, c.bucket)),
		"TokenSecretArn":         ref(v.id(t, c.secret)),
		"AlarmTopicArn":          ref(v.id(t, c.alarms)),
		"UnsubscribeUrl":         att(v.id(t, c.url), "FunctionUrl"),
		"ConfigurationSetName":   ref(v.id(t, c.configSet)),
		"ReceiptRuleSetName":     ref(v.id(t, c.ruleSet)),
		"ActivateReceiptRuleSet": join("aws ses set-active-receipt-rule-set --region eu-west-1 --rule-set-name ", ref(v.id(t, c.ruleSet))),
	} {
		try(t, "output "+id, func() {
			v.template.HasOutput(jsii.String(id), map[string]any{"Value": want})
		})
	}
}

// TestAssetsFromBuildDir: each function's code is its Makefile-built zip.
func TestAssetsFromBuildDir(t *testing.T) {
	vs, err := synthesized()
	if err != nil {
		t.Fatal(err)
	}
	if err := checkAssets(vs["dev"].c.cfg); err != nil {
		t.Errorf("checkAssets on the placeholder zips: %v", err)
	}
	missing := Config{AssetDir: t.TempDir()}
	err = checkAssets(missing)
	if err == nil || !strings.Contains(err.Error(), "make build") || !strings.Contains(err.Error(), "inbound.zip") {
		t.Errorf("checkAssets(empty dir) = %v, want an error naming inbound.zip and `make build`", err)
	}
}

// TestNoDependencyCycle: CloudFormation refuses a template whose resources
// depend on each other in a circle (through Ref, Fn::GetAtt, Fn::Sub or
// DependsOn), and the CDK does not check this at synthesis.
func TestNoDependencyCycle(t *testing.T) {
	subRef := regexp.MustCompile(`\$\{([A-Za-z0-9]+)[.}]`)
	for _, tv := range testVariants {
		v := fixture(t, tv.name)
		res := v.resources()
		edges := map[string][]string{}
		var walk func(from string, x any)
		walk = func(from string, x any) {
			switch x := x.(type) {
			case map[string]any:
				if r, ok := x["Ref"].(string); ok && res[r] != nil {
					edges[from] = append(edges[from], r)
				}
				if a, ok := x["Fn::GetAtt"].([]any); ok && len(a) > 0 && res[fmt.Sprint(a[0])] != nil {
					edges[from] = append(edges[from], fmt.Sprint(a[0]))
				}
				if s, ok := x["Fn::Sub"].(string); ok {
					for _, m := range subRef.FindAllStringSubmatch(s, -1) {
						if res[m[1]] != nil {
							edges[from] = append(edges[from], m[1])
						}
					}
				}
				for _, y := range x {
					walk(from, y)
				}
			case []any:
				for _, y := range x {
					walk(from, y)
				}
			}
		}
		for id, r := range res {
			r := r.(map[string]any)
			walk(id, r["Properties"])
			if deps, ok := r["DependsOn"].([]any); ok {
				for _, d := range deps {
					edges[id] = append(edges[id], fmt.Sprint(d))
				}
			}
		}
		const (
			unseen = iota
			open
			done
		)
		state := map[string]int{}
		var visit func(id string, path []string)
		visit = func(id string, path []string) {
			switch state[id] {
			case open:
				t.Errorf("%s: dependency cycle: %s -> %s", tv.name, strings.Join(path, " -> "), id)
				return
			case done:
				return
			}
			state[id] = open
			for _, next := range edges[id] {
				visit(next, append(path, id))
			}
			state[id] = done
		}
		for id := range res {
			visit(id, nil)
		}
		if len(edges) < len(res)/2 {
			t.Errorf("%s: only %d resources depend on others; the walk is broken", tv.name, len(edges))
		}
	}
}
