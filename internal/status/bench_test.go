package status

import "testing"

const benchReply = `Hi Sam,

The most important thing for me today is the reorg: two of my directs want the same scope
and I keep postponing the conversation.

On the commitments:
1 done - shared it with HR on Tuesday
#2 not yet, the CFO is travelling until the 12th
3) dropping it, no longer relevant after the promotion decision

Thanks,
Maya`

func BenchmarkParse(b *testing.B) {
	b.SetBytes(int64(len(benchReply)))
	for b.Loop() {
		Parse(benchReply, three)
	}
}

func BenchmarkIsUnsubscribe(b *testing.B) {
	for b.Loop() {
		IsUnsubscribe(benchReply)
	}
}
