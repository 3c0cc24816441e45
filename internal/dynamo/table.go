package dynamo

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

// TableClient is the set of DynamoDB calls CreateTable makes. *dynamodb.Client
// implements it.
type TableClient interface {
	CreateTable(ctx context.Context, in *dynamodb.CreateTableInput, optFns ...func(*dynamodb.Options)) (*dynamodb.CreateTableOutput, error)
	DescribeTable(ctx context.Context, in *dynamodb.DescribeTableInput, optFns ...func(*dynamodb.Options)) (*dynamodb.DescribeTableOutput, error)
	DescribeTimeToLive(ctx context.Context, in *dynamodb.DescribeTimeToLiveInput, optFns ...func(*dynamodb.Options)) (*dynamodb.DescribeTimeToLiveOutput, error)
	UpdateTimeToLive(ctx context.Context, in *dynamodb.UpdateTimeToLiveInput, optFns ...func(*dynamodb.Options)) (*dynamodb.UpdateTimeToLiveOutput, error)
}

// Names of the table's attributes and indexes, for infrastructure code that
// declares the same table (the CDK app mirrors Table).
const (
	PartitionKey  = attrPK
	SortKey       = attrSK
	GSI1          = gsi1
	GSI1Partition = attrGSI1PK
	GSI1Sort      = attrGSI1SK
	GSI2          = gsi2
	GSI2Partition = attrGSI2PK
	GSI2Sort      = attrGSI2SK
	TTLAttribute  = attrTTL
)

// Table returns the definition of the table: string keys PK and SK, two
// global secondary indexes projecting all attributes, on-demand billing.
// Time to live on TTLAttribute is set apart (UpdateTimeToLive), as DynamoDB
// requires.
func Table(name string) *dynamodb.CreateTableInput {
	str := func(n string) types.AttributeDefinition {
		return types.AttributeDefinition{AttributeName: aws.String(n), AttributeType: types.ScalarAttributeTypeS}
	}
	keys := func(pk, sk string) []types.KeySchemaElement {
		return []types.KeySchemaElement{
			{AttributeName: aws.String(pk), KeyType: types.KeyTypeHash},
			{AttributeName: aws.String(sk), KeyType: types.KeyTypeRange},
		}
	}
	index := func(name, pk, sk string) types.GlobalSecondaryIndex {
		return types.GlobalSecondaryIndex{
			IndexName:  aws.String(name),
			KeySchema:  keys(pk, sk),
			Projection: &types.Projection{ProjectionType: types.ProjectionTypeAll},
		}
	}
	return &dynamodb.CreateTableInput{
		TableName: aws.String(name),
		AttributeDefinitions: []types.AttributeDefinition{
			str(attrPK), str(attrSK), str(attrGSI1PK), str(attrGSI1SK), str(attrGSI2PK), str(attrGSI2SK),
		},
		KeySchema: keys(attrPK, attrSK),
		GlobalSecondaryIndexes: []types.GlobalSecondaryIndex{
			index(gsi1, attrGSI1PK, attrGSI1SK),
			index(gsi2, attrGSI2PK, attrGSI2SK),
		},
		BillingMode: types.BillingModePayPerRequest,
	}
}

// CreateTable creates the table as Table defines it unless it exists, waits
// until it and its indexes are active, and turns on time to live. It is
// idempotent, for a local mode that starts again on the same server. An
// empty table or index status is taken as active: some emulators leave it
// out.
func CreateTable(ctx context.Context, client TableClient, name string) error {
	_, err := client.CreateTable(ctx, Table(name))
	var inUse *types.ResourceInUseException
	if err != nil && !errors.As(err, &inUse) {
		return fmt.Errorf("create table %s: %w", name, err)
	}
	if err := waitActive(ctx, client, name); err != nil {
		return err
	}
	ttl, err := client.DescribeTimeToLive(ctx, &dynamodb.DescribeTimeToLiveInput{TableName: aws.String(name)})
	if err != nil {
		return fmt.Errorf("describe time to live of table %s: %w", name, err)
	}
	if d := ttl.TimeToLiveDescription; d != nil &&
		(d.TimeToLiveStatus == types.TimeToLiveStatusEnabled || d.TimeToLiveStatus == types.TimeToLiveStatusEnabling) {
		return nil
	}
	_, err = client.UpdateTimeToLive(ctx, &dynamodb.UpdateTimeToLiveInput{
		TableName: aws.String(name),
		TimeToLiveSpecification: &types.TimeToLiveSpecification{
			AttributeName: aws.String(attrTTL),
			Enabled:       aws.Bool(true),
		},
	})
	if err != nil {
		return fmt.Errorf("enable time to live of table %s: %w", name, err)
	}
	return nil
}

// waitActive polls until the table and its indexes are active, for at most
// two minutes (or ctx's deadline).
func waitActive(ctx context.Context, client TableClient, name string) error {
	ctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()
	for attempt := 0; ; attempt++ {
		out, err := client.DescribeTable(ctx, &dynamodb.DescribeTableInput{TableName: aws.String(name)})
		if err != nil {
			return fmt.Errorf("describe table %s: %w", name, err)
		}
		if active(out.Table) {
			return nil
		}
		if err := sleep(ctx, min(time.Duration(attempt+1)*50*time.Millisecond, time.Second)); err != nil {
			return fmt.Errorf("wait for table %s to be active: %w", name, err)
		}
	}
}

func active(t *types.TableDescription) bool {
	if t == nil {
		return false
	}
	if t.TableStatus != types.TableStatusActive && t.TableStatus != "" {
		return false
	}
	for _, g := range t.GlobalSecondaryIndexes {
		if g.IndexStatus != types.IndexStatusActive && g.IndexStatus != "" {
			return false
		}
	}
	return true
}
