package text

import "strings"

// Closest returns the name nearest to s (edit distance, ignoring case), or
// "" when none is near.
func Closest(s string, names []string) string {
	best, bestD := "", len(s)/2+2
	for _, n := range names {
		d := distance(strings.ToLower(s), strings.ToLower(n))
		if strings.HasPrefix(strings.ToLower(s), strings.ToLower(n)) || strings.HasPrefix(strings.ToLower(n), strings.ToLower(s)) {
			d = min(d, 1)
		}
		if d < bestD {
			best, bestD = n, d
		}
	}
	return best
}

// distance is the Levenshtein distance of a and b.
func distance(a, b string) int {
	prev := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur := make([]int, len(b)+1)
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev = cur
	}
	return prev[len(b)]
}
