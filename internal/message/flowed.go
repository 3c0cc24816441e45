package message

import "strings"

// decodeFlowed joins the soft line breaks of format=flowed text (RFC 3676
// section 4): a line ending in a space continues on the next line of the
// same quote depth. Space-stuffing is removed, and with delsp the space
// before a soft break too. Quoted lines are written back as ">" marks per
// depth and a space. The signature separator "-- " is never flowed.
func decodeFlowed(s string, delsp bool) string {
	trailingNL := strings.HasSuffix(s, "\n")
	s = strings.TrimSuffix(s, "\n")
	var (
		out    strings.Builder
		para   strings.Builder
		depth  int
		inPara bool
		lines  int
	)
	out.Grow(len(s))
	emit := func() {
		if lines > 0 {
			out.WriteByte('\n')
		}
		lines++
		if depth > 0 {
			out.WriteString(strings.Repeat(">", depth))
			if para.Len() > 0 {
				out.WriteByte(' ')
			}
		}
		out.WriteString(para.String())
		para.Reset()
		inPara = false
	}
	for line := range strings.SplitSeq(s, "\n") {
		d := 0
		for d < len(line) && line[d] == '>' {
			d++
		}
		content := strings.TrimPrefix(line[d:], " ")
		flowed := strings.HasSuffix(content, " ") && content != "-- "
		if flowed && delsp {
			content = content[:len(content)-1]
		}
		if inPara && d != depth {
			emit()
		}
		depth = d
		para.WriteString(content)
		inPara = true
		if !flowed {
			emit()
		}
	}
	if inPara {
		emit()
	}
	if trailingNL {
		out.WriteByte('\n')
	}
	return out.String()
}
