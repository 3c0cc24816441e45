package dynamo

import (
	"context"
	"errors"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/expression"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/coachmail/coachmail/internal/coaching"
)

// maxTxItems is TransactWriteItems' limit.
const maxTxItems = 100

// tx collects the writes of one change. commit sends a single write as a
// plain PutItem or DeleteItem and several as one TransactWriteItems:
// DynamoDB charges a transactional write twice, so a change that touches one
// item costs half as much that way, with the same all-or-nothing effect.
type tx struct {
	writes []write
	seen   map[key]bool
	err    error // the first error met while building
}

// write is one item of a transaction and the error to return when its
// condition fails.
type write struct {
	key      key
	item     map[string]types.AttributeValue // nil for a delete
	cond     *expression.ConditionBuilder
	what     string
	conflict error
}

func (t *tx) add(w write) {
	if t.err != nil {
		return
	}
	if t.seen == nil {
		t.seen = map[key]bool{}
	}
	if t.seen[w.key] {
		// DynamoDB refuses two operations on one item in a transaction.
		t.err = coaching.Errorf(coaching.EINVALID, "two changes to one item (%s)", w.what)
		return
	}
	t.seen[w.key] = true
	t.writes = append(t.writes, w)
}

// put adds the write of item, whose key is k.
func (t *tx) put(k key, item map[string]types.AttributeValue, cond *expression.ConditionBuilder, what string, conflict error) {
	t.add(write{key: k, item: item, cond: cond, what: what, conflict: conflict})
}

// putItem marshals v and adds its write.
func (t *tx) putItem(s *Store, k key, v any, cond *expression.ConditionBuilder, what string, conflict error) {
	if t.err != nil {
		return
	}
	item, err := s.marshal(v)
	if err != nil {
		t.err = fmt.Errorf("%s: %w", what, err)
		return
	}
	t.put(k, item, cond, what, conflict)
}

func (t *tx) delete(k key, cond *expression.ConditionBuilder, what string, conflict error) {
	t.add(write{key: k, cond: cond, what: what, conflict: conflict})
}

// commit writes everything or nothing. When a condition fails, it returns
// the conflict error of the first write whose condition failed, so a
// transaction lists its most telling condition (the inbound record's) first.
func (s *Store) commit(ctx context.Context, t *tx, doing string) error {
	if t.err != nil {
		return t.err
	}
	switch n := len(t.writes); {
	case n == 0:
		return nil
	case n == 1:
		w := t.writes[0]
		if w.item == nil {
			return s.del(ctx, w.key, w.cond, w.what, w.conflict)
		}
		return s.put(ctx, w.item, w.cond, w.what, w.conflict)
	case n > maxTxItems:
		return coaching.Errorf(coaching.EINVALID, "%s: %d writes, over the %d of one transaction", doing, n, maxTxItems)
	}
	items := make([]types.TransactWriteItem, 0, len(t.writes))
	for _, w := range t.writes {
		var names map[string]string
		var values map[string]types.AttributeValue
		var condition *string
		if w.cond != nil {
			expr, err := expression.NewBuilder().WithCondition(*w.cond).Build()
			if err != nil {
				return fmt.Errorf("%s: build condition of %s: %w", doing, w.what, err)
			}
			condition, names, values = expr.Condition(), expr.Names(), expr.Values()
		}
		if w.item == nil {
			items = append(items, types.TransactWriteItem{Delete: &types.Delete{
				TableName: &s.table, Key: w.key.av(),
				ConditionExpression: condition, ExpressionAttributeNames: names, ExpressionAttributeValues: values,
			}})
			continue
		}
		items = append(items, types.TransactWriteItem{Put: &types.Put{
			TableName: &s.table, Item: w.item,
			ConditionExpression: condition, ExpressionAttributeNames: names, ExpressionAttributeValues: values,
		}})
	}
	res, err := s.client.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{
		TransactItems:          items,
		ReturnConsumedCapacity: types.ReturnConsumedCapacityTotal,
	})
	if err != nil {
		return s.txError(doing, t, err)
	}
	s.record(false, res.ConsumedCapacity...)
	return nil
}

// txError maps a cancelled transaction to the conflict of its first failed
// condition. A cancellation for another reason (a concurrent transaction on
// the same item, throttling) is temporary and stays an infrastructure error
// for the caller to retry; a validation failure is EINVALID.
func (s *Store) txError(doing string, t *tx, err error) error {
	var tce *types.TransactionCanceledException
	if !errors.As(err, &tce) {
		return sdkError(doing, err)
	}
	for i, r := range tce.CancellationReasons {
		if r.Code != nil && *r.Code == "ConditionalCheckFailed" && i < len(t.writes) {
			return t.writes[i].conflict
		}
	}
	for i, r := range tce.CancellationReasons {
		if r.Code != nil && *r.Code == "ValidationError" {
			what := "an item"
			if i < len(t.writes) {
				what = t.writes[i].what
			}
			msg := ""
			if r.Message != nil {
				msg = ": " + *r.Message
			}
			return fmt.Errorf("%s: %w", doing, coaching.Errorf(coaching.EINVALID, "%s refused%s", what, msg))
		}
	}
	return fmt.Errorf("%s: %w", doing, err)
}
