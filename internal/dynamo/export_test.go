package dynamo

// DueShard exposes the shard function to the external tests, so that they
// can check that a set of emails spans several shards.
var DueShard = dueShard
