package dynamo

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/expression"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/coachmail/coachmail/internal/coaching"
)

var _ coaching.Store = (*Store)(nil)

// Client is the set of DynamoDB calls the Store makes. *dynamodb.Client
// implements it.
type Client interface {
	GetItem(ctx context.Context, in *dynamodb.GetItemInput, optFns ...func(*dynamodb.Options)) (*dynamodb.GetItemOutput, error)
	PutItem(ctx context.Context, in *dynamodb.PutItemInput, optFns ...func(*dynamodb.Options)) (*dynamodb.PutItemOutput, error)
	DeleteItem(ctx context.Context, in *dynamodb.DeleteItemInput, optFns ...func(*dynamodb.Options)) (*dynamodb.DeleteItemOutput, error)
	Query(ctx context.Context, in *dynamodb.QueryInput, optFns ...func(*dynamodb.Options)) (*dynamodb.QueryOutput, error)
	BatchGetItem(ctx context.Context, in *dynamodb.BatchGetItemInput, optFns ...func(*dynamodb.Options)) (*dynamodb.BatchGetItemOutput, error)
	TransactWriteItems(ctx context.Context, in *dynamodb.TransactWriteItemsInput, optFns ...func(*dynamodb.Options)) (*dynamodb.TransactWriteItemsOutput, error)
}

// Store is coaching.Store on one DynamoDB table laid out as the package doc
// describes. It is safe for concurrent use.
type Store struct {
	client    Client
	table     string
	dueShards int
	onUsage   func(Usage)

	enc *attributevalue.Encoder
	dec *attributevalue.Decoder

	mu    sync.Mutex
	usage Usage
}

// Usage is the capacity DynamoDB reported as consumed, summed over calls.
// Servers that do not report capacity leave it at zero.
type Usage struct {
	ReadUnits  float64
	WriteUnits float64
}

// Option configures a Store.
type Option func(*Store)

// WithDueShards sets how many GSI2 partitions (DUE#0 … DUE#n-1) the due
// index is spread over; n < 1 means DefaultDueShards. A table's shard count
// may grow but must never shrink: emails in a shard beyond the new count
// would no longer be found.
func WithDueShards(n int) Option {
	return func(s *Store) {
		if n >= 1 {
			s.dueShards = n
		}
	}
}

// WithUsageFunc calls f after every call that consumed capacity, with what
// that call consumed, for metrics. f must be safe for concurrent use.
func WithUsageFunc(f func(Usage)) Option {
	return func(s *Store) { s.onUsage = f }
}

// New returns a Store on the named table, which must exist with the layout of
// Table.
func New(client Client, table string, opts ...Option) *Store {
	s := &Store{
		client:    client,
		table:     table,
		dueShards: DefaultDueShards,
		enc: attributevalue.NewEncoder(func(o *attributevalue.EncoderOptions) {
			o.EncodeTime = encodeTime
		}),
		dec: attributevalue.NewDecoder(),
	}
	for _, o := range opts {
		o(s)
	}
	return s
}

// Usage returns the capacity consumed by the Store's calls so far.
func (s *Store) Usage() Usage {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.usage
}

// WriteUnits returns the write capacity units consumed so far.
func (s *Store) WriteUnits() float64 { return s.Usage().WriteUnits }

// encodeTime stores a time as a fixed-width UTC string, so that stored times
// compare as strings in condition expressions, and leaves a zero time out.
func encodeTime(t time.Time) (types.AttributeValue, error) {
	if t.IsZero() {
		return nil, nil
	}
	if err := checkTime("time", t); err != nil {
		return nil, err
	}
	return &types.AttributeValueMemberS{Value: keyTime(t)}, nil
}

// meta holds the key, index and bookkeeping attributes of an item; item
// types embed it beside the domain struct. No domain type has a field of
// these names, so nothing is shadowed.
type meta struct {
	PK       string
	SK       string
	GSI1PK   string `dynamodbav:",omitempty"`
	GSI1SK   string `dynamodbav:",omitempty"`
	GSI2PK   string `dynamodbav:",omitempty"`
	GSI2SK   string `dynamodbav:",omitempty"`
	TTL      int64  `dynamodbav:"ttl,omitempty"`
	ItemType string
}

func newMeta(itemType string, k key) meta { return meta{PK: k.PK, SK: k.SK, ItemType: itemType} }

// ttlOf returns the TTL attribute's value for an expiry time: epoch seconds,
// or 0 (no attribute) for a zero time.
func ttlOf(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.Unix()
}

// marshal encodes an item and drops its empty attributes: an attribute that
// is absent reads back as the zero value, and every byte of an item is paid
// for on each write.
func (s *Store) marshal(v any) (map[string]types.AttributeValue, error) {
	av, err := s.enc.Encode(v)
	if err != nil {
		return nil, fmt.Errorf("encode item: %w", err)
	}
	m, ok := av.(*types.AttributeValueMemberM)
	if !ok {
		return nil, fmt.Errorf("encode item: got %T, want a map", av)
	}
	compactMap(m.Value)
	return m.Value, nil
}

// compactMap removes empty values from m, recursively.
func compactMap(m map[string]types.AttributeValue) {
	for k, v := range m {
		if empty(v) {
			delete(m, k)
		}
	}
}

func empty(v types.AttributeValue) bool {
	switch v := v.(type) {
	case *types.AttributeValueMemberS:
		return v.Value == ""
	case *types.AttributeValueMemberN:
		return v.Value == "0"
	case *types.AttributeValueMemberBOOL:
		return !v.Value
	case *types.AttributeValueMemberNULL:
		return true
	case *types.AttributeValueMemberM:
		compactMap(v.Value)
		return len(v.Value) == 0
	case *types.AttributeValueMemberL:
		for _, e := range v.Value {
			if m, ok := e.(*types.AttributeValueMemberM); ok {
				compactMap(m.Value)
			}
		}
		return len(v.Value) == 0
	}
	return false
}

func (s *Store) unmarshal(item map[string]types.AttributeValue, out any) error {
	if err := s.dec.Decode(&types.AttributeValueMemberM{Value: item}, out); err != nil {
		return fmt.Errorf("decode item: %w", err)
	}
	return nil
}

func (k key) av() map[string]types.AttributeValue {
	return map[string]types.AttributeValue{
		attrPK: &types.AttributeValueMemberS{Value: k.PK},
		attrSK: &types.AttributeValueMemberS{Value: k.SK},
	}
}

// record adds consumed capacity to the Store's usage.
func (s *Store) record(read bool, ccs ...types.ConsumedCapacity) {
	var u Usage
	for _, cc := range ccs {
		if read {
			u.ReadUnits += aws.ToFloat64(cc.CapacityUnits)
		} else {
			u.WriteUnits += aws.ToFloat64(cc.CapacityUnits)
		}
	}
	if u == (Usage{}) {
		return
	}
	s.mu.Lock()
	s.usage.ReadUnits += u.ReadUnits
	s.usage.WriteUnits += u.WriteUnits
	s.mu.Unlock()
	if s.onUsage != nil {
		s.onUsage(u)
	}
}

func one(cc *types.ConsumedCapacity) []types.ConsumedCapacity {
	if cc == nil {
		return nil
	}
	return []types.ConsumedCapacity{*cc}
}

// get reads one item, strongly consistent, into out; ENOTFOUND names what.
func (s *Store) get(ctx context.Context, k key, out any, what string) error {
	res, err := s.client.GetItem(ctx, &dynamodb.GetItemInput{
		TableName:              &s.table,
		Key:                    k.av(),
		ConsistentRead:         aws.Bool(true),
		ReturnConsumedCapacity: types.ReturnConsumedCapacityTotal,
	})
	if err != nil {
		return sdkError("get "+what, err)
	}
	s.record(true, one(res.ConsumedCapacity)...)
	if len(res.Item) == 0 {
		return coaching.Errorf(coaching.ENOTFOUND, "%s not found", what)
	}
	return s.unmarshal(res.Item, out)
}

// put writes one item under an optional condition; when the condition
// fails, it returns conflict.
func (s *Store) put(ctx context.Context, item map[string]types.AttributeValue, cond *expression.ConditionBuilder, what string, conflict error) error {
	in := &dynamodb.PutItemInput{
		TableName:              &s.table,
		Item:                   item,
		ReturnConsumedCapacity: types.ReturnConsumedCapacityTotal,
	}
	if cond != nil {
		expr, err := expression.NewBuilder().WithCondition(*cond).Build()
		if err != nil {
			return fmt.Errorf("put %s: build condition: %w", what, err)
		}
		in.ConditionExpression = expr.Condition()
		in.ExpressionAttributeNames = expr.Names()
		in.ExpressionAttributeValues = expr.Values()
	}
	res, err := s.client.PutItem(ctx, in)
	if err != nil {
		var ccf *types.ConditionalCheckFailedException
		if errors.As(err, &ccf) {
			return conflict
		}
		return sdkError("put "+what, err)
	}
	s.record(false, one(res.ConsumedCapacity)...)
	return nil
}

// del deletes one item under an optional condition; when the condition
// fails, it returns failed.
func (s *Store) del(ctx context.Context, k key, cond *expression.ConditionBuilder, what string, failed error) error {
	in := &dynamodb.DeleteItemInput{
		TableName:              &s.table,
		Key:                    k.av(),
		ReturnConsumedCapacity: types.ReturnConsumedCapacityTotal,
	}
	if cond != nil {
		expr, err := expression.NewBuilder().WithCondition(*cond).Build()
		if err != nil {
			return fmt.Errorf("delete %s: build condition: %w", what, err)
		}
		in.ConditionExpression = expr.Condition()
		in.ExpressionAttributeNames = expr.Names()
		in.ExpressionAttributeValues = expr.Values()
	}
	res, err := s.client.DeleteItem(ctx, in)
	if err != nil {
		var ccf *types.ConditionalCheckFailedException
		if errors.As(err, &ccf) {
			return failed
		}
		return sdkError("delete "+what, err)
	}
	s.record(false, one(res.ConsumedCapacity)...)
	return nil
}

// query is one Query, on the table or an index.
type query struct {
	index   string // "" for the table
	key     expression.KeyConditionBuilder
	reverse bool // newest (highest sort key) first
	limit   int  // 0: all
}

// query runs q to the end (or to q.limit items) and returns the raw items.
func (s *Store) query(ctx context.Context, q query, what string) ([]map[string]types.AttributeValue, error) {
	expr, err := expression.NewBuilder().WithKeyCondition(q.key).Build()
	if err != nil {
		return nil, fmt.Errorf("query %s: build key condition: %w", what, err)
	}
	in := &dynamodb.QueryInput{
		TableName:                 &s.table,
		KeyConditionExpression:    expr.KeyCondition(),
		ExpressionAttributeNames:  expr.Names(),
		ExpressionAttributeValues: expr.Values(),
		ScanIndexForward:          aws.Bool(!q.reverse),
		ReturnConsumedCapacity:    types.ReturnConsumedCapacityTotal,
	}
	if q.index != "" {
		in.IndexName = aws.String(q.index)
	} else {
		in.ConsistentRead = aws.Bool(true) // indexes cannot be read consistently
	}
	var items []map[string]types.AttributeValue
	for {
		if q.limit > 0 {
			in.Limit = aws.Int32(int32(min(q.limit-len(items), 1000)))
		}
		res, err := s.client.Query(ctx, in)
		if err != nil {
			return nil, sdkError("query "+what, err)
		}
		s.record(true, one(res.ConsumedCapacity)...)
		items = append(items, res.Items...)
		if len(res.LastEvaluatedKey) == 0 || (q.limit > 0 && len(items) >= q.limit) {
			break
		}
		if err := ctx.Err(); err != nil {
			return nil, fmt.Errorf("query %s: %w", what, err)
		}
		in.ExclusiveStartKey = res.LastEvaluatedKey
	}
	if q.limit > 0 && len(items) > q.limit {
		items = items[:q.limit]
	}
	return items, nil
}

// queryInto runs q and decodes every item with decode.
func queryInto[T any](ctx context.Context, s *Store, q query, what string) ([]T, error) {
	items, err := s.query(ctx, q, what)
	if err != nil {
		return nil, err
	}
	out := make([]T, 0, len(items))
	for _, it := range items {
		var v T
		if err := s.unmarshal(it, &v); err != nil {
			return nil, fmt.Errorf("query %s: %w", what, err)
		}
		out = append(out, v)
	}
	return out, nil
}

// batchGet reads items by key, strongly consistent, in no particular order.
// Keys not found are left out.
func (s *Store) batchGet(ctx context.Context, keys []key, what string) ([]map[string]types.AttributeValue, error) {
	var out []map[string]types.AttributeValue
	for len(keys) > 0 {
		n := min(len(keys), 100) // BatchGetItem's limit
		req := make([]map[string]types.AttributeValue, 0, n)
		for _, k := range keys[:n] {
			req = append(req, k.av())
		}
		keys = keys[n:]
		pending := map[string]types.KeysAndAttributes{s.table: {Keys: req, ConsistentRead: aws.Bool(true)}}
		for attempt := 0; len(pending) > 0; attempt++ {
			if attempt > 0 {
				// Unprocessed keys mean the table is throttling; back off.
				if err := sleep(ctx, backoff(attempt)); err != nil {
					return nil, fmt.Errorf("batch get %s: %w", what, err)
				}
			}
			if attempt == maxAttempts {
				return nil, fmt.Errorf("batch get %s: keys still unprocessed after %d attempts", what, attempt)
			}
			res, err := s.client.BatchGetItem(ctx, &dynamodb.BatchGetItemInput{
				RequestItems:           pending,
				ReturnConsumedCapacity: types.ReturnConsumedCapacityTotal,
			})
			if err != nil {
				return nil, sdkError("batch get "+what, err)
			}
			s.record(true, res.ConsumedCapacity...)
			out = append(out, res.Responses[s.table]...)
			pending = res.UnprocessedKeys
		}
	}
	return out, nil
}

const maxAttempts = 8

func backoff(attempt int) time.Duration {
	return min(time.Duration(1<<attempt)*10*time.Millisecond, time.Second)
}

func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// sdkError wraps an SDK error with what was being done. A request refused as
// invalid (an item over 400 KB, for instance) is EINVALID: retrying cannot
// help. Anything else stays an infrastructure error, which callers treat as
// temporary.
func sdkError(doing string, err error) error {
	var code interface{ ErrorCode() string }
	if errors.As(err, &code) && code.ErrorCode() == "ValidationException" {
		return fmt.Errorf("%s: %w", doing, &coaching.Error{Code: coaching.EINVALID, Message: err.Error()})
	}
	return fmt.Errorf("%s: %w", doing, err)
}

// versionIs is the optimistic-concurrency condition of a replace: the item
// exists with version v.
func versionIs(v int) *expression.ConditionBuilder {
	c := expression.Name("Version").Equal(expression.Value(v))
	return &c
}

// absent is the condition of a create: no item has the key.
func absent() *expression.ConditionBuilder {
	c := expression.AttributeNotExists(expression.Name(attrPK))
	return &c
}

// present is the condition of a delete that must find its item.
func present() *expression.ConditionBuilder {
	c := expression.AttributeExists(expression.Name(attrPK))
	return &c
}
