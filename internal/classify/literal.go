package classify

import "fmt"

// maxLiterals bounds the distinct literals of one rule set, so that the
// set of hits fits a fixed array and Classify allocates nothing for it.
const maxLiterals = 4096

// literalTable collects the distinct literals of a rule set while it is
// compiled, giving each an id.
type literalTable struct {
	ids  map[string]int32
	list []string
}

// add returns the id of literal s, giving it the next id when it is new.
func (t *literalTable) add(s string) int32 {
	if id, ok := t.ids[s]; ok {
		return id
	}
	if t.ids == nil {
		t.ids = make(map[string]int32)
	}
	id := int32(len(t.list))
	t.ids[s] = id
	t.list = append(t.list, s)
	return id
}

// maxRules bounds the rules of one rule set, so that the set of candidate
// rules fits a fixed array.
const maxRules = 4096

// ruleMask is a set of rule indices.
type ruleMask [maxRules / 64]uint64

func (m *ruleMask) set(i int32) { m[i>>6] |= 1 << (i & 63) }

// literalSet is the set of literal ids found in one text.
type literalSet [maxLiterals / 64]uint64

func (s *literalSet) set(id int32) { s[id>>6] |= 1 << (id & 63) }

func (s *literalSet) has(id int32) bool { return s[id>>6]&(1<<(id&63)) != 0 }

func (s *literalSet) any(ids []int32) bool {
	for _, id := range ids {
		if s.has(id) {
			return true
		}
	}
	return false
}

// literalMatcher finds every literal of a table in a text in one pass. It
// is an Aho-Corasick automaton (Aho and Corasick, "Efficient string
// matching", CACM 1975) with a full transition table over the bytes that
// occur in the literals, so each text byte costs one table lookup.
type literalMatcher struct {
	class   [256]uint8 // byte to alphabet index; 0 for bytes in no literal
	width   int        // alphabet size, including class 0
	next    []int32    // next[state*width+class]
	next16  []uint16   // next in 16 bits, used in its place when the states fit
	outFrom []int32    // outputs of state s are out[outFrom[s]:outFrom[s+1]]
	out     []int32
}

// newLiteralMatcher builds the automaton for literals, whose indexes are
// the ids that it reports. It fails for more than maxLiterals literals,
// or for more than 255 distinct bytes in them, because class 0 is kept
// for bytes in no literal.
func newLiteralMatcher(literals []string) (*literalMatcher, error) {
	if len(literals) > maxLiterals {
		return nil, fmt.Errorf("%d distinct literals in text and patterns, more than the %d supported", len(literals), maxLiterals)
	}
	m := &literalMatcher{width: 1}
	for _, lit := range literals {
		for i := 0; i < len(lit); i++ {
			if m.class[lit[i]] == 0 {
				if m.width == 256 {
					return nil, fmt.Errorf("literal %q: too many distinct bytes", lit)
				}
				m.class[lit[i]] = uint8(m.width)
				m.width++
			}
		}
	}

	outputs := m.buildTrie(literals)
	m.link(outputs)
	// With states that fit 16 bits, a table half the size keeps more of
	// the transitions that scan reads per text byte in cache.
	if len(outputs) <= 1<<16 {
		m.next16 = make([]uint16, len(m.next))
		for i, s := range m.next {
			m.next16[i] = uint16(s)
		}
		m.next = nil
	}
	return m, nil
}

// buildTrie enters the literals into the transition table, with -1 for a
// missing edge, and returns each state's own outputs.
func (m *literalMatcher) buildTrie(literals []string) [][]int32 {
	m.next = m.newState(nil)
	outputs := [][]int32{nil}
	for id, lit := range literals {
		state := int32(0)
		for i := 0; i < len(lit); i++ {
			edge := int(state)*m.width + int(m.class[lit[i]])
			if m.next[edge] < 0 {
				m.next[edge] = int32(len(outputs))
				m.next = m.newState(m.next)
				outputs = append(outputs, nil)
			}
			state = m.next[edge]
		}
		outputs[state] = append(outputs[state], int32(id))
	}
	return outputs
}

func (m *literalMatcher) newState(next []int32) []int32 {
	for range m.width {
		next = append(next, -1)
	}
	return next
}

// link fills the missing edges from the failure links in breadth-first
// order and merges each state's outputs with those of its failure state.
func (m *literalMatcher) link(outputs [][]int32) {
	states := len(outputs)
	fail := make([]int32, states)
	queue := make([]int32, 0, states)
	for c := range m.width {
		if s := m.next[c]; s > 0 {
			queue = append(queue, s)
		} else {
			m.next[c] = 0
		}
	}
	for len(queue) > 0 {
		s := queue[0]
		queue = queue[1:]
		outputs[s] = append(outputs[s], outputs[fail[s]]...)
		for c := range m.width {
			edge := int(s)*m.width + c
			t := m.next[edge]
			if t < 0 {
				m.next[edge] = m.next[int(fail[s])*m.width+c]
				continue
			}
			fail[t] = m.next[int(fail[s])*m.width+c]
			queue = append(queue, t)
		}
	}

	m.outFrom = make([]int32, states+1)
	for s, o := range outputs {
		m.outFrom[s] = int32(len(m.out))
		m.out = append(m.out, o...)
	}
	m.outFrom[states] = int32(len(m.out))
}

// scan adds the ids of the literals that occur in text to hits.
func (m *literalMatcher) scan(text string, hits *literalSet) {
	if m.next16 != nil {
		state := 0
		for i := 0; i < len(text); i++ {
			state = int(m.next16[state*m.width+int(m.class[text[i]])])
			for _, id := range m.out[m.outFrom[state]:m.outFrom[state+1]] {
				hits.set(id)
			}
		}
		return
	}

	state := int32(0)
	for i := 0; i < len(text); i++ {
		state = m.next[int(state)*m.width+int(m.class[text[i]])]
		for _, id := range m.out[m.outFrom[state]:m.outFrom[state+1]] {
			hits.set(id)
		}
	}
}
