package main

import (
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscloudwatch"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsdynamodb"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsevents"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/aws-cdk-go/awscdk/v2/awskms"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslambda"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslogs"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsroute53"
	"github.com/aws/aws-cdk-go/awscdk/v2/awss3"
	"github.com/aws/aws-cdk-go/awscdk/v2/awssecretsmanager"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsses"
	"github.com/aws/aws-cdk-go/awscdk/v2/awssns"
	"github.com/aws/aws-cdk-go/awscdk/v2/awssnssubscriptions"
	"github.com/aws/aws-cdk-go/awscdk/v2/awssqs"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
	"github.com/cdklabs/cdk-nag-go/cdknag/v2"
)

// CoachmailStackProps configures NewCoachmailStack.
type CoachmailStackProps struct {
	awscdk.StackProps
	Config Config
}

// Function names: each is built by the root Makefile as <AssetDir>/<name>.zip.
const (
	FnInbound     = "inbound"
	FnDispatch    = "dispatch"
	FnFeedback    = "feedback"
	FnUnsubscribe = "unsubscribe"
)

// Functions lists the Lambda functions of the stack in a stable order.
var Functions = []string{FnInbound, FnDispatch, FnFeedback, FnUnsubscribe}

// Names of the things other parts of the system refer to.
const (
	receiptRuleName = "coachmail-intake"
	tokenKeyID      = "k1" // id of the first reply-token key in the token secret
	// QuarantineNamespace and QuarantineMetric are what the inbound function
	// emits (CloudWatch embedded metric format, no dimensions) per quarantined message.
	QuarantineNamespace = "Coachmail"
	QuarantineMetric    = "Quarantined"
)

// Environment variable names the functions read.
const (
	envTable            = "COACHMAIL_TABLE"
	envRawBucket        = "COACHMAIL_RAW_BUCKET"
	envRawPrefix        = "COACHMAIL_RAW_PREFIX"
	envIntakeDomain     = "COACHMAIL_INTAKE_DOMAIN"
	envFromAddress      = "COACHMAIL_FROM_ADDRESS"
	envNotesAddress     = "COACHMAIL_NOTES_ADDRESS"
	envPracticeName     = "COACHMAIL_PRACTICE_NAME"
	envTokenSecretARN   = "COACHMAIL_TOKEN_SECRET_ARN"
	envConfigSet        = "COACHMAIL_CONFIG_SET"
	envUnsubscribeURL   = "COACHMAIL_UNSUBSCRIBE_URL"
	envLogLevel         = "COACHMAIL_LOG_LEVEL"
	envBootstrapCoaches = "COACHMAIL_BOOTSTRAP_COACHES"
)

// TableDataActions are the DynamoDB actions every function gets on the table
// and its indexes: item reads and writes, queries and condition checks. Scan,
// streams and table management are deliberately absent (no Scan in a request
// path; the operator's erase command runs with the operator's credentials).
var TableDataActions = []string{
	"dynamodb:BatchGetItem",
	"dynamodb:BatchWriteItem",
	"dynamodb:ConditionCheckItem",
	"dynamodb:DeleteItem",
	"dynamodb:GetItem",
	"dynamodb:PutItem",
	"dynamodb:Query",
	"dynamodb:UpdateItem",
}

// coachmail holds the constructs shared while the stack is being built.
type coachmail struct {
	stack  awscdk.Stack
	cfg    Config
	key    awskms.Key
	table  awsdynamodb.Table
	bucket awss3.Bucket
	secret awssecretsmanager.Secret
	alarms awssns.Topic
	fns    map[string]awslambda.Function
	roles  map[string]awsiam.Role
	dlqs   map[string]awssqs.Queue
	logs   map[string]awslogs.LogGroup
	retain awscdk.RemovalPolicy

	// Kept for the tests, which look up logical ids through them.
	ruleSet       awsses.ReceiptRuleSet
	rule          awsses.CfnReceiptRule
	sesInvoke     awslambda.CfnPermission
	configSet     awsses.ConfigurationSet
	identity      awsses.EmailIdentity
	feedbackTopic awssns.Topic
	schedule      awsevents.CfnRule
	url           awslambda.FunctionUrl
	seed          awssecretsmanager.Secret
}

// NewCoachmailStack defines everything coachmail needs in one AWS account and
// region: the key, table, raw-mail bucket, SES receiving and sending, the four
// functions with their roles, queues, logs and alarms, and DNS records or the
// outputs that list them. props.Config must come from ParseConfig.
func NewCoachmailStack(scope constructs.Construct, id string, props *CoachmailStackProps) awscdk.Stack {
	return newCoachmail(scope, id, props).stack
}

// newCoachmail builds the stack and keeps its constructs at hand for the tests.
func newCoachmail(scope constructs.Construct, id string, props *CoachmailStackProps) *coachmail {
	sp := props.StackProps
	if sp.Description == nil {
		sp.Description = jsii.String("coachmail: email-driven coaching workflow (SES, Lambda, DynamoDB, S3)")
	}
	if sp.Tags == nil {
		// Stack tags: CloudFormation propagates them to every resource that takes tags.
		sp.Tags = &map[string]*string{"project": jsii.String("coachmail"), "stage": jsii.String(string(props.Config.Stage))}
	}
	stack := awscdk.NewStack(scope, jsii.String(id), &sp)
	cfg := props.Config
	c := &coachmail{
		stack:  stack,
		cfg:    cfg,
		fns:    map[string]awslambda.Function{},
		roles:  map[string]awsiam.Role{},
		dlqs:   map[string]awssqs.Queue{},
		logs:   map[string]awslogs.LogGroup{},
		retain: awscdk.RemovalPolicy_DESTROY,
	}
	if cfg.Stage == StageProd {
		c.retain = awscdk.RemovalPolicy_RETAIN
	}

	c.defineKey()
	c.defineTable()
	c.defineBucket()
	c.defineTokenSecret()
	c.defineAlarmTopic()
	for _, name := range Functions {
		c.defineFunction(name)
	}
	c.wireInbound()
	c.wireDispatch()
	c.wireUnsubscribe()
	c.defineAlarms()
	c.defineOutputs()
	c.suppressFindings()
	return c
}

// ApplyChecks adds the cdk-nag AwsSolutions rules to scope; their findings are
// error and warning annotations that fail `cdk synth` and the tests.
func ApplyChecks(scope constructs.Construct) {
	awscdk.Aspects_Of(scope).Add(cdknag.NewAwsSolutionsChecks(&cdknag.NagPackProps{Verbose: jsii.Bool(true)}), nil)
}

// region, account and partition are literal when the stack's environment
// names them, and CloudFormation pseudo parameters otherwise.
func (c *coachmail) region() string    { return *c.stack.Region() }
func (c *coachmail) account() string   { return *c.stack.Account() }
func (c *coachmail) partition() string { return *c.stack.Partition() }

// viaService is the kms:ViaService value for calls made by service on our behalf.
func (c *coachmail) viaService(service string) string {
	return service + "." + c.region() + ".amazonaws.com"
}

// defineKey creates the customer-managed key that encrypts the table, the
// bucket, the secrets, the queues, the topics and the log groups. Its policy
// keeps CDK's default (the account administers it through IAM) and lets the
// services that write encrypted data on our behalf use it, each only for its
// own account.
func (c *coachmail) defineKey() {
	c.key = awskms.NewKey(c.stack, jsii.String("Key"), &awskms.KeyProps{
		Description:       jsii.String("coachmail: encrypts table, raw mail, secrets, queues, topics and logs"),
		EnableKeyRotation: jsii.Bool(true),
		PendingWindow:     awscdk.Duration_Days(jsii.Number(30)),
		RemovalPolicy:     c.retain,
	})
	c.key.AddToResourcePolicy(awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
		Sid:        jsii.String("CloudWatchLogsEncryptsOurLogGroups"),
		Principals: &[]awsiam.IPrincipal{awsiam.NewServicePrincipal(jsii.String("logs."+c.region()+".amazonaws.com"), nil)},
		Actions: jsii.Strings("kms:Decrypt", "kms:DescribeKey", "kms:Encrypt", "kms:GenerateDataKey",
			"kms:GenerateDataKeyWithoutPlaintext", "kms:ReEncryptFrom", "kms:ReEncryptTo"),
		Resources: jsii.Strings("*"),
		Conditions: &map[string]any{"ArnLike": map[string]any{
			"kms:EncryptionContext:aws:logs:arn": "arn:" + c.partition() + ":logs:" + c.region() + ":" + c.account() + ":log-group:*",
		}},
	}), jsii.Bool(false))
	// SES stores received mail in the SSE-KMS bucket and publishes bounce and
	// complaint events to the encrypted feedback topic; CloudWatch publishes
	// alarms to the encrypted alarm topic. Both need a data key.
	for _, svc := range []struct{ sid, principal string }{
		{"SESWritesRawMailAndFeedback", "ses.amazonaws.com"},
		{"CloudWatchPublishesAlarms", "cloudwatch.amazonaws.com"},
	} {
		c.key.AddToResourcePolicy(awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
			Sid:        jsii.String(svc.sid),
			Principals: &[]awsiam.IPrincipal{awsiam.NewServicePrincipal(jsii.String(svc.principal), nil)},
			Actions:    jsii.Strings("kms:Decrypt", "kms:GenerateDataKey"),
			Resources:  jsii.Strings("*"),
			Conditions: &map[string]any{"StringEquals": map[string]any{"aws:SourceAccount": c.account()}},
		}), jsii.Bool(false))
	}
}

// defineTable creates the single table of the store with its two indexes.
func (c *coachmail) defineTable() {
	str := func(name string) *awsdynamodb.Attribute {
		return &awsdynamodb.Attribute{Name: jsii.String(name), Type: awsdynamodb.AttributeType_STRING}
	}
	c.table = awsdynamodb.NewTable(c.stack, jsii.String("Table"), &awsdynamodb.TableProps{
		PartitionKey:        str("PK"),
		SortKey:             str("SK"),
		BillingMode:         awsdynamodb.BillingMode_PAY_PER_REQUEST,
		Encryption:          awsdynamodb.TableEncryption_CUSTOMER_MANAGED,
		EncryptionKey:       c.key,
		TimeToLiveAttribute: jsii.String("ttl"),
		PointInTimeRecoverySpecification: &awsdynamodb.PointInTimeRecoverySpecification{
			PointInTimeRecoveryEnabled: jsii.Bool(true),
		},
		DeletionProtection: jsii.Bool(c.cfg.Stage == StageProd),
		RemovalPolicy:      c.retain,
	})
	for _, gsi := range []string{"GSI1", "GSI2"} {
		c.table.AddGlobalSecondaryIndex(&awsdynamodb.GlobalSecondaryIndexProps{
			IndexName:      jsii.String(gsi),
			PartitionKey:   str(gsi + "PK"),
			SortKey:        str(gsi + "SK"),
			ProjectionType: awsdynamodb.ProjectionType_ALL,
		})
	}
}

// defineBucket creates the raw-mail bucket. Only SES of this account, for our
// receipt rule, may write to it (the policy is added in wireInbound, where the
// rule's ARN is known).
func (c *coachmail) defineBucket() {
	c.bucket = awss3.NewBucket(c.stack, jsii.String("RawMail"), &awss3.BucketProps{
		Encryption:        awss3.BucketEncryption_KMS,
		EncryptionKey:     c.key,
		BucketKeyEnabled:  jsii.Bool(true),
		BlockPublicAccess: awss3.BlockPublicAccess_BLOCK_ALL(),
		EnforceSSL:        jsii.Bool(true),
		MinimumTLSVersion: jsii.Number(1.2),
		ObjectOwnership:   awss3.ObjectOwnership_BUCKET_OWNER_ENFORCED,
		LifecycleRules: &[]*awss3.LifecycleRule{{
			Id:                                  jsii.String("expire-raw-mail"),
			Prefix:                              jsii.String(RawPrefix),
			Expiration:                          awscdk.Duration_Days(jsii.Number(float64(c.cfg.RawRetentionDays))),
			AbortIncompleteMultipartUploadAfter: awscdk.Duration_Days(jsii.Number(1)),
		}},
		RemovalPolicy: c.retain,
	})
}

// defineTokenSecret creates the reply-token HMAC keys. The secret's value is
//
//	{"current":"k1","keys":{"k1":"<64 base64 characters>"}}
//
// GenerateSecretString can only put a generated string at the top level of a
// JSON object, so the key is generated into a seed secret that nothing but
// CloudFormation reads, and the token secret is composed from it with a
// dynamic reference resolved at deploy time (the key never appears in the
// template). The generated characters are letters and digits, all of the
// base64 alphabet: 64 of them decode to 48 bytes (about 380 bits of entropy).
// Rotation is by hand, documented in README.md: add a key, switch current.
func (c *coachmail) defineTokenSecret() {
	seed := awssecretsmanager.NewSecret(c.stack, jsii.String("TokenKeySeed"), &awssecretsmanager.SecretProps{
		Description:   jsii.String("coachmail: generated seed of the first reply-token key; read only by CloudFormation"),
		EncryptionKey: c.key,
		GenerateSecretString: &awssecretsmanager.SecretStringGenerator{
			PasswordLength:     jsii.Number(64),
			ExcludePunctuation: jsii.Bool(true),
			IncludeSpace:       jsii.Bool(false),
		},
		RemovalPolicy: c.retain,
	})
	c.seed = seed
	value := `{"current":"` + tokenKeyID + `","keys":{"` + tokenKeyID + `":"` + *seed.SecretValue().UnsafeUnwrap() + `"}}`
	c.secret = awssecretsmanager.NewSecret(c.stack, jsii.String("TokenSecret"), &awssecretsmanager.SecretProps{
		Description:   jsii.String(`coachmail: HMAC keys of reply tokens, {"current":id,"keys":{id:base64}}`),
		EncryptionKey: c.key,
		// Not plain text: the value holds only a {{resolve:secretsmanager:...}} reference.
		SecretStringValue: awscdk.SecretValue_UnsafePlainText(jsii.String(value)),
		RemovalPolicy:     c.retain,
	})
}

// defineAlarmTopic creates the encrypted topic every alarm notifies, with the
// optional email subscription.
func (c *coachmail) defineAlarmTopic() {
	c.alarms = awssns.NewTopic(c.stack, jsii.String("Alarms"), &awssns.TopicProps{
		DisplayName: jsii.String("coachmail alarms"),
		MasterKey:   c.key,
		EnforceSSL:  jsii.Bool(true),
	})
	if c.cfg.AlarmEmail != "" {
		c.alarms.AddSubscription(awssnssubscriptions.NewEmailSubscription(jsii.String(c.cfg.AlarmEmail), nil))
	}
}

// functionSpec is what differs between the functions.
type functionSpec struct {
	description string
	memoryMB    float64
	timeout     awscdk.Duration
	async       bool // invoked asynchronously, so failures go to a DLQ
	retries     float64
	maxEventAge awscdk.Duration
}

func specOf(name string) functionSpec {
	switch name {
	case FnInbound:
		// Raw mail can be 40 MB; parsing it wants memory, and memory buys CPU.
		return functionSpec{"coachmail: applies received mail (SES receipt rule action)", 1024,
			awscdk.Duration_Seconds(jsii.Number(60)), true, 2, awscdk.Duration_Hours(jsii.Number(6))}
	case FnDispatch:
		// A tick that fails is not retried: the next tick, a minute later, does its work.
		return functionSpec{"coachmail: sends the scheduled emails that are due (every minute)", 256,
			awscdk.Duration_Seconds(jsii.Number(55)), true, 0, awscdk.Duration_Minutes(jsii.Number(2))}
	case FnFeedback:
		return functionSpec{"coachmail: applies SES bounce and complaint events", 256,
			awscdk.Duration_Seconds(jsii.Number(30)), true, 2, awscdk.Duration_Hours(jsii.Number(6))}
	case FnUnsubscribe:
		// Synchronous (function URL): a failure is an HTTP error the mail client retries.
		return functionSpec{"coachmail: one-click unsubscribe (RFC 8058) behind a function URL", 256,
			awscdk.Duration_Seconds(jsii.Number(10)), false, 0, nil}
	}
	panic("infra: unknown function " + name) // programming error: Functions and specOf disagree
}

// defineFunction creates one function with its own role, encrypted log group
// with retention, JSON logging and, for asynchronously invoked functions, an
// encrypted dead-letter queue. Access to data is added by the wire* methods.
func (c *coachmail) defineFunction(name string) {
	spec := specOf(name)
	title := strings.ToUpper(name[:1]) + name[1:]
	role := awsiam.NewRole(c.stack, jsii.String(title+"Role"), &awsiam.RoleProps{
		AssumedBy:   awsiam.NewServicePrincipal(jsii.String("lambda.amazonaws.com"), nil),
		Description: jsii.String("coachmail " + name + " function"),
	})
	logs := awslogs.NewLogGroup(c.stack, jsii.String(title+"Logs"), &awslogs.LogGroupProps{
		Retention:     logRetention[c.cfg.LogRetentionDays],
		EncryptionKey: c.key,
		RemovalPolicy: c.retain,
	})
	logs.GrantWrite(role)

	props := &awslambda.FunctionProps{
		Description:           jsii.String(spec.description),
		Runtime:               awslambda.Runtime_PROVIDED_AL2023(),
		Architecture:          awslambda.Architecture_ARM_64(),
		Handler:               jsii.String("bootstrap"),
		Code:                  awslambda.Code_FromAsset(jsii.String(filepath.Join(c.cfg.AssetDir, name+".zip")), nil),
		Role:                  role,
		MemorySize:            jsii.Number(spec.memoryMB),
		Timeout:               spec.timeout,
		LogGroup:              logs,
		LoggingFormat:         awslambda.LoggingFormat_JSON,
		ApplicationLogLevelV2: awslambda.ApplicationLogLevel(c.cfg.LogLevel),
		SystemLogLevelV2:      awslambda.SystemLogLevel_INFO,
		Environment: &map[string]*string{
			envTable:    c.table.TableName(),
			envLogLevel: jsii.String(c.cfg.LogLevel),
		},
	}
	if spec.async {
		dlq := awssqs.NewQueue(c.stack, jsii.String(title+"DLQ"), &awssqs.QueueProps{
			Encryption:          awssqs.QueueEncryption_KMS,
			EncryptionMasterKey: c.key,
			EnforceSSL:          jsii.Bool(true),
			RetentionPeriod:     awscdk.Duration_Days(jsii.Number(14)),
			RemovalPolicy:       c.retain,
		})
		// The DLQ prop grants sqs:SendMessage; sending to an SSE-KMS queue
		// also needs a data key, asked of KMS through SQS.
		role.AddToPrincipalPolicy(c.keyUse("SendToEncryptedDLQ", "sqs", "kms:Decrypt", "kms:GenerateDataKey"))
		props.DeadLetterQueue = dlq
		props.RetryAttempts = jsii.Number(spec.retries)
		props.MaxEventAge = spec.maxEventAge
		c.dlqs[name] = dlq
	}
	if name == FnDispatch && c.cfg.DispatchConcurrency > 0 {
		// One sender at a time: keeps within the SES send rate and stops two
		// ticks from working on the same due emails at once.
		props.ReservedConcurrentExecutions = jsii.Number(float64(c.cfg.DispatchConcurrency))
	}
	fn := awslambda.NewFunction(c.stack, jsii.String(title), props)
	c.grantTable(role)
	c.fns[name] = fn
	c.roles[name] = role
	c.logs[name] = logs
}

// keyUse allows actions on the stack's key only when service makes the call
// on the principal's behalf.
func (c *coachmail) keyUse(sid, service string, actions ...string) awsiam.PolicyStatement {
	return awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
		Sid:        jsii.String(sid),
		Actions:    jsii.Strings(actions...),
		Resources:  &[]*string{c.key.KeyArn()},
		Conditions: &map[string]any{"StringEquals": map[string]any{"kms:ViaService": c.viaService(service)}},
	})
}

// grantTable gives role the item-level actions on the table and each index,
// named one by one, and the use of the key through DynamoDB.
func (c *coachmail) grantTable(role awsiam.Role) {
	resources := []*string{c.table.TableArn()}
	for _, gsi := range []string{"GSI1", "GSI2"} {
		resources = append(resources, jsii.String(*c.table.TableArn()+"/index/"+gsi))
	}
	role.AddToPrincipalPolicy(awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
		Sid:       jsii.String("TableData"),
		Actions:   jsii.Strings(TableDataActions...),
		Resources: &resources,
	}))
	role.AddToPrincipalPolicy(c.keyUse("TableKey", "dynamodb",
		"kms:Decrypt", "kms:DescribeKey", "kms:Encrypt", "kms:GenerateDataKey"))
}

// setEnv adds environment variables to a function.
func (c *coachmail) setEnv(name string, env map[string]string) {
	keys := make([]string, 0, len(env))
	for k := range env {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		c.fns[name].AddEnvironment(jsii.String(k), jsii.String(env[k]), nil)
	}
}

// wireInbound defines SES receiving: the rule set, and a rule that stores
// each message under RawPrefix in the bucket and then invokes the inbound
// function, which reads it back.
func (c *coachmail) wireInbound() {
	fn, role := c.fns[FnInbound], c.roles[FnInbound]
	ruleSet := awsses.NewReceiptRuleSet(c.stack, jsii.String("ReceiptRuleSet"), &awsses.ReceiptRuleSetProps{})
	ruleARN := "arn:" + c.partition() + ":ses:" + c.region() + ":" + c.account() +
		":receipt-rule-set/" + *ruleSet.ReceiptRuleSetName() + ":receipt-rule/" + receiptRuleName

	c.bucket.AddToResourcePolicy(awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
		Sid:        jsii.String("SESStoresReceivedMail"),
		Principals: &[]awsiam.IPrincipal{awsiam.NewServicePrincipal(jsii.String("ses.amazonaws.com"), nil)},
		Actions:    jsii.Strings("s3:PutObject"),
		Resources:  jsii.Strings(*c.bucket.ArnForObjects(jsii.String(RawPrefix + "*"))),
		Conditions: &map[string]any{"StringEquals": map[string]any{
			"aws:SourceAccount": c.account(),
			"aws:SourceArn":     ruleARN,
		}},
	}))
	permission := awslambda.NewCfnPermission(c.stack, jsii.String("InboundInvokedBySES"), &awslambda.CfnPermissionProps{
		Action:        jsii.String("lambda:InvokeFunction"),
		FunctionName:  fn.FunctionArn(),
		Principal:     jsii.String("ses.amazonaws.com"),
		SourceAccount: jsii.String(c.account()),
		SourceArn:     jsii.String(ruleARN),
	})
	rule := awsses.NewCfnReceiptRule(c.stack, jsii.String("ReceiptRule"), &awsses.CfnReceiptRuleProps{
		RuleSetName: ruleSet.ReceiptRuleSetName(),
		Rule: &awsses.CfnReceiptRule_RuleProperty{
			Name:        jsii.String(receiptRuleName),
			Enabled:     jsii.Bool(true),
			Recipients:  jsii.Strings(c.cfg.Domain),
			ScanEnabled: jsii.Bool(true), // spam and virus verdicts in the event
			TlsPolicy:   jsii.String("Optional"),
			Actions: &[]*awsses.CfnReceiptRule_ActionProperty{
				{S3Action: &awsses.CfnReceiptRule_S3ActionProperty{
					BucketName:      c.bucket.BucketName(),
					ObjectKeyPrefix: jsii.String(RawPrefix),
				}},
				{LambdaAction: &awsses.CfnReceiptRule_LambdaActionProperty{
					FunctionArn:    fn.FunctionArn(),
					InvocationType: jsii.String("Event"),
				}},
			},
		},
	})
	// SES checks that it may write and invoke when the rule is created.
	rule.Node().AddDependency(c.bucket.Policy(), permission)
	c.ruleSet, c.rule, c.sesInvoke = ruleSet, rule, permission

	role.AddToPrincipalPolicy(awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
		Sid:       jsii.String("ReadRawMail"),
		Actions:   jsii.Strings("s3:GetObject"),
		Resources: jsii.Strings(*c.bucket.ArnForObjects(jsii.String(RawPrefix + "*"))),
	}))
	role.AddToPrincipalPolicy(c.keyUse("RawMailKey", "s3", "kms:Decrypt"))
	c.secret.GrantRead(role, nil)

	env := map[string]string{
		envRawBucket:      *c.bucket.BucketName(),
		envRawPrefix:      RawPrefix,
		envIntakeDomain:   c.cfg.Domain,
		envFromAddress:    c.cfg.FromAddress,
		envNotesAddress:   c.cfg.NotesAddress,
		envTokenSecretARN: *c.secret.SecretArn(),
	}
	if len(c.cfg.Coaches) > 0 {
		env[envBootstrapCoaches] = strings.Join(c.cfg.Coaches, ",")
	}
	c.setEnv(FnInbound, env)

	awscdk.NewCfnOutput(c.stack, jsii.String("ReceiptRuleSetName"), &awscdk.CfnOutputProps{
		Description: jsii.String("SES receipt rule set; activate it once (see ActivateReceiptRuleSet)"),
		Value:       ruleSet.ReceiptRuleSetName(),
	})
	awscdk.NewCfnOutput(c.stack, jsii.String("ActivateReceiptRuleSet"), &awscdk.CfnOutputProps{
		Description: jsii.String("run once after the first deploy; replaces the region's active rule set"),
		Value: jsii.String("aws ses set-active-receipt-rule-set --region " + c.region() +
			" --rule-set-name " + *ruleSet.ReceiptRuleSetName()),
	})
}

// wireDispatch defines sending: the domain identity with Easy DKIM and a
// MAIL FROM domain, the configuration set, the one-minute schedule, and the
// dispatch function's right to send through them.
func (c *coachmail) wireDispatch() {
	fn, role := c.fns[FnDispatch], c.roles[FnDispatch]
	configSet := awsses.NewConfigurationSet(c.stack, jsii.String("ConfigurationSet"), &awsses.ConfigurationSetProps{
		ReputationMetrics:  jsii.Bool(true),
		SendingEnabled:     jsii.Bool(true),
		SuppressionReasons: awsses.SuppressionReasons_BOUNCES_AND_COMPLAINTS,
	})
	identity := awsses.NewEmailIdentity(c.stack, jsii.String("Identity"), &awsses.EmailIdentityProps{
		Identity:                    awsses.Identity_Domain(jsii.String(c.cfg.Domain)),
		DkimIdentity:                awsses.DkimIdentity_EasyDkim(awsses.EasyDkimSigningKeyLength_RSA_2048_BIT),
		DkimSigning:                 jsii.Bool(true),
		ConfigurationSet:            configSet,
		MailFromDomain:              jsii.String(c.mailFromDomain()),
		MailFromBehaviorOnMxFailure: awsses.MailFromBehaviorOnMxFailure_USE_DEFAULT_VALUE,
	})
	c.configSet, c.identity = configSet, identity
	c.defineDNS(identity)

	feedbackTopic := awssns.NewTopic(c.stack, jsii.String("FeedbackTopic"), &awssns.TopicProps{
		DisplayName: jsii.String("coachmail SES bounces and complaints"),
		MasterKey:   c.key,
		EnforceSSL:  jsii.Bool(true),
	})
	awsses.NewConfigurationSetEventDestination(c.stack, jsii.String("BounceComplaintEvents"), &awsses.ConfigurationSetEventDestinationProps{
		ConfigurationSet: configSet,
		Destination:      awsses.EventDestination_SnsTopic(feedbackTopic),
		Events:           &[]awsses.EmailSendingEvent{awsses.EmailSendingEvent_BOUNCE, awsses.EmailSendingEvent_COMPLAINT},
	})
	feedbackTopic.AddSubscription(awssnssubscriptions.NewLambdaSubscription(c.fns[FnFeedback], nil))
	c.feedbackTopic = feedbackTopic

	role.AddToPrincipalPolicy(awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
		Sid:     jsii.String("SendThroughIdentityAndConfigurationSet"),
		Actions: jsii.Strings("ses:SendEmail"),
		Resources: jsii.Strings(
			*c.stack.FormatArn(&awscdk.ArnComponents{Service: jsii.String("ses"), Resource: jsii.String("identity"), ResourceName: jsii.String(c.cfg.Domain)}),
			*c.stack.FormatArn(&awscdk.ArnComponents{Service: jsii.String("ses"), Resource: jsii.String("configuration-set"), ResourceName: configSet.ConfigurationSetName()}),
		),
	}))
	c.secret.GrantRead(role, nil)

	// The rule is written at the CloudFormation level: the L2 target classes
	// (aws_events_targets) would pull some 70 more jsii packages into the
	// build, minutes of compilation on a fresh machine, for one target.
	schedule := awsevents.NewCfnRule(c.stack, jsii.String("DispatchSchedule"), &awsevents.CfnRuleProps{
		Description:        jsii.String("coachmail: run dispatch every minute"),
		ScheduleExpression: jsii.String("rate(1 minute)"),
		State:              jsii.String("ENABLED"),
		Targets: &[]*awsevents.CfnRule_TargetProperty{{
			Id:  jsii.String("Dispatch"),
			Arn: fn.FunctionArn(),
			// EventBridge retries only failed invocations; a late tick is worthless.
			RetryPolicy: &awsevents.CfnRule_RetryPolicyProperty{
				MaximumRetryAttempts:     jsii.Number(2),
				MaximumEventAgeInSeconds: jsii.Number(120),
			},
		}},
	})
	fn.AddPermission(jsii.String("InvokedBySchedule"), &awslambda.Permission{
		Principal: awsiam.NewServicePrincipal(jsii.String("events.amazonaws.com"), nil),
		SourceArn: schedule.AttrArn(),
	})
	c.schedule = schedule

	c.setEnv(FnDispatch, map[string]string{
		envFromAddress:    c.cfg.FromAddress,
		envNotesAddress:   c.cfg.NotesAddress,
		envIntakeDomain:   c.cfg.Domain,
		envPracticeName:   c.cfg.PracticeName,
		envConfigSet:      *configSet.ConfigurationSetName(),
		envTokenSecretARN: *c.secret.SecretArn(),
	})
	awscdk.NewCfnOutput(c.stack, jsii.String("ConfigurationSetName"), &awscdk.CfnOutputProps{
		Description: jsii.String("SES configuration set used for every email sent"),
		Value:       configSet.ConfigurationSetName(),
	})
}

func (c *coachmail) mailFromDomain() string { return "bounce." + c.cfg.Domain }

// dnsRecord is one DNS record the domain needs.
type dnsRecord struct {
	id, name, kind, value string
}

// dnsRecords lists the records that receiving, DKIM, MAIL FROM and DMARC need.
func (c *coachmail) dnsRecords(identity awsses.EmailIdentity) []dnsRecord {
	d := c.cfg.Domain
	return []dnsRecord{
		{"IntakeMX", d, "MX", "10 inbound-smtp." + c.region() + ".amazonaws.com"},
		{"Dkim1", *identity.DkimDnsTokenName1(), "CNAME", *identity.DkimDnsTokenValue1()},
		{"Dkim2", *identity.DkimDnsTokenName2(), "CNAME", *identity.DkimDnsTokenValue2()},
		{"Dkim3", *identity.DkimDnsTokenName3(), "CNAME", *identity.DkimDnsTokenValue3()},
		{"MailFromMX", c.mailFromDomain(), "MX", "10 feedback-smtp." + c.region() + ".amazonses.com"},
		{"MailFromSPF", c.mailFromDomain(), "TXT", `"v=spf1 include:amazonses.com ~all"`},
		{"DMARC", "_dmarc." + d, "TXT", `"v=DMARC1; p=` + c.cfg.DMARCPolicy + `"`},
	}
}

// defineDNS creates the records in the given hosted zone, or prints each as
// an output ready to paste into the domain's DNS.
func (c *coachmail) defineDNS(identity awsses.EmailIdentity) {
	records := c.dnsRecords(identity)
	if c.cfg.HostedZoneID == "" {
		for _, r := range records {
			awscdk.NewCfnOutput(c.stack, jsii.String("Dns"+r.id), &awscdk.CfnOutputProps{
				Description: jsii.String("DNS record to create: name type value"),
				Value:       jsii.String(r.name + ". " + r.kind + " " + r.value),
			})
		}
		return
	}
	zone := awsroute53.PublicHostedZone_FromPublicHostedZoneAttributes(c.stack, jsii.String("Zone"), &awsroute53.PublicHostedZoneAttributes{
		HostedZoneId: jsii.String(c.cfg.HostedZoneID),
		ZoneName:     jsii.String(c.cfg.HostedZoneName),
	})
	ttl := awscdk.Duration_Hours(jsii.Number(1))
	for _, r := range records {
		// A trailing dot marks the name as fully qualified, so that names that
		// are tokens (the DKIM ones) are not suffixed with the zone again.
		name := jsii.String(r.name + ".")
		id := jsii.String("Dns" + r.id)
		switch r.kind {
		case "MX":
			prio, host, _ := strings.Cut(r.value, " ")
			p, _ := strconv.Atoi(prio)
			awsroute53.NewMxRecord(c.stack, id, &awsroute53.MxRecordProps{
				Zone: zone, RecordName: name, Ttl: ttl,
				Values: &[]*awsroute53.MxRecordValue{{Priority: jsii.Number(float64(p)), HostName: jsii.String(host)}},
			})
		case "CNAME":
			awsroute53.NewCnameRecord(c.stack, id, &awsroute53.CnameRecordProps{
				Zone: zone, RecordName: name, Ttl: ttl, DomainName: jsii.String(r.value),
			})
		case "TXT":
			awsroute53.NewTxtRecord(c.stack, id, &awsroute53.TxtRecordProps{
				Zone: zone, RecordName: name, Ttl: ttl, Values: jsii.Strings(strings.Trim(r.value, `"`)),
			})
		default:
			panic("infra: no Route 53 construct for " + r.kind) // programming error in dnsRecords
		}
	}
}

// wireUnsubscribe exposes the unsubscribe function at a public URL (RFC 8058
// one-click POSTs come from mail providers, unauthenticated by design; the
// signed token in the URL is the authentication) and gives the URL to dispatch.
func (c *coachmail) wireUnsubscribe() {
	fn, role := c.fns[FnUnsubscribe], c.roles[FnUnsubscribe]
	url := fn.AddFunctionUrl(&awslambda.FunctionUrlOptions{AuthType: awslambda.FunctionUrlAuthType_NONE})
	c.url = url
	c.secret.GrantRead(role, nil)
	c.setEnv(FnUnsubscribe, map[string]string{
		envTokenSecretARN: *c.secret.SecretArn(),
		envPracticeName:   c.cfg.PracticeName,
	})
	c.setEnv(FnDispatch, map[string]string{envUnsubscribeURL: *url.Url()})
	awscdk.NewCfnOutput(c.stack, jsii.String("UnsubscribeUrl"), &awscdk.CfnOutputProps{
		Description: jsii.String("one-click unsubscribe endpoint (List-Unsubscribe)"),
		Value:       url.Url(),
	})
}

// alarm creates an alarm that notifies the alarm topic.
func (c *coachmail) alarm(id, description string, metric awscloudwatch.IMetric, threshold float64) {
	a := awscloudwatch.NewAlarm(c.stack, jsii.String(id), &awscloudwatch.AlarmProps{
		AlarmDescription:   jsii.String(description),
		Metric:             metric,
		Threshold:          jsii.Number(threshold),
		EvaluationPeriods:  jsii.Number(1),
		ComparisonOperator: awscloudwatch.ComparisonOperator_GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
		TreatMissingData:   awscloudwatch.TreatMissingData_NOT_BREACHING,
	})
	// Set at the CloudFormation level, as aws_cloudwatch_actions would pull
	// some 40 more jsii packages into the build for this one list.
	a.Node().DefaultChild().(awscloudwatch.CfnAlarm).SetAlarmActions(&[]*string{c.alarms.TopicArn()})
}

// defineAlarms: errors and throttles of every function, a message in any
// DLQ, a burst of quarantined mail, and SES reputation near the limits at
// which SES reviews or pauses the account.
func (c *coachmail) defineAlarms() {
	five := awscdk.Duration_Minutes(jsii.Number(5))
	sum := &awscloudwatch.MetricOptions{Period: five, Statistic: jsii.String("Sum")}
	for _, name := range Functions {
		title := strings.ToUpper(name[:1]) + name[1:]
		fn := c.fns[name]
		c.alarm(title+"Errors", "coachmail "+name+": invocations failed", fn.MetricErrors(sum), 1)
		c.alarm(title+"Throttles", "coachmail "+name+": invocations throttled", fn.MetricThrottles(sum), 1)
		if dlq, ok := c.dlqs[name]; ok {
			c.alarm(title+"DLQDepth", "coachmail "+name+": events gave up on, kept in its dead-letter queue",
				dlq.MetricApproximateNumberOfMessagesVisible(&awscloudwatch.MetricOptions{Period: five, Statistic: jsii.String("Maximum")}), 1)
		}
	}
	c.alarm("QuarantineBurst", "coachmail inbound: 10 or more messages quarantined in an hour",
		awscloudwatch.NewMetric(&awscloudwatch.MetricProps{
			Namespace:  jsii.String(QuarantineNamespace),
			MetricName: jsii.String(QuarantineMetric),
			Statistic:  jsii.String("Sum"),
			Period:     awscdk.Duration_Hours(jsii.Number(1)),
		}), 10)
	reputation := func(metric string) awscloudwatch.IMetric {
		return awscloudwatch.NewMetric(&awscloudwatch.MetricProps{
			Namespace: jsii.String("AWS/SES"), MetricName: jsii.String(metric),
			Statistic: jsii.String("Maximum"), Period: awscdk.Duration_Hours(jsii.Number(1)),
		})
	}
	c.alarm("SESBounceRate", "SES account bounce rate at 5% (SES reviews accounts at 5%, pauses at 10%)",
		reputation("Reputation.BounceRate"), 0.05)
	c.alarm("SESComplaintRate", "SES account complaint rate at 0.1% (SES reviews accounts at 0.1%)",
		reputation("Reputation.ComplaintRate"), 0.001)
}

func (c *coachmail) defineOutputs() {
	for _, o := range []struct {
		id, desc string
		value    *string
	}{
		{"TableName", "DynamoDB table of the store", c.table.TableName()},
		{"RawMailBucket", "S3 bucket of raw received mail", c.bucket.BucketName()},
		{"TokenSecretArn", "Secrets Manager secret of the reply-token keys", c.secret.SecretArn()},
		{"AlarmTopicArn", "SNS topic of the alarms; subscribe to it", c.alarms.TopicArn()},
	} {
		awscdk.NewCfnOutput(c.stack, jsii.String(o.id), &awscdk.CfnOutputProps{Description: jsii.String(o.desc), Value: o.value})
	}
}

// suppressFindings records, with its reason, each cdk-nag finding that this
// design accepts. Each is narrowed to one CloudFormation resource and, for
// IAM5, to the exact wildcard it is about.
func (c *coachmail) suppressFindings() {
	suppress := func(construct constructs.IConstruct, id, reason string, appliesTo ...string) {
		if child := construct.Node().DefaultChild(); child != nil {
			construct = child
		}
		s := &cdknag.NagPackSuppression{Id: jsii.String(id), Reason: jsii.String(reason)}
		if len(appliesTo) > 0 {
			var a []any
			for _, x := range appliesTo {
				a = append(a, x)
			}
			s.AppliesTo = &a
		}
		cdknag.NagSuppressions_AddResourceSuppressions(construct, &[]*cdknag.NagPackSuppression{s}, jsii.Bool(false))
	}
	suppress(c.bucket, "AwsSolutions-S1",
		"Raw mail is written only by SES (bucket policy bound to our receipt rule) and read only by the inbound role; "+
			"objects expire after rawRetentionDays. A second bucket of access logs would hold addresses for longer than the mail itself; "+
			"CloudTrail data events are the operator's choice for an audit trail.")
	suppress(c.roles[FnInbound].Node().FindChild(jsii.String("DefaultPolicy")), "AwsSolutions-IAM5",
		"Raw mail objects are named by SES message id, unknown at deploy time; the read is limited to the inbound/ prefix of our bucket.",
		"Resource::<"+c.logicalID(c.bucket)+".Arn>/"+RawPrefix+"*")
	suppress(c.secret, "AwsSolutions-SMG4",
		"Reply-token keys rotate by adding a key and switching \"current\" (README.md), so that tokens already in leaders' "+
			"inboxes keep verifying; a rotation Lambda replacing the value would break them.")
	suppress(c.seed, "AwsSolutions-SMG4",
		"Seed of the first reply-token key, read only by CloudFormation when the token secret is created; rotating it would change nothing.")
}

// logicalID is the CloudFormation logical id of a resource, or of the
// default resource of a higher-level construct.
func (c *coachmail) logicalID(construct constructs.IConstruct) string {
	if child := construct.Node().DefaultChild(); child != nil {
		construct = child
	}
	return *c.stack.GetLogicalId(construct.(awscdk.CfnElement))
}
