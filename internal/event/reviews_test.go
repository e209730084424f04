package event

import (
	"strconv"
	"testing"
	"time"
)

func TestNewReviewsKeepsTheLongestWaiting(t *testing.T) {
	t.Parallel()
	var a, b []ReviewPull
	for n := 1; n <= 25; n++ {
		a = append(a, ReviewPull{Number: n, Waited: time.Duration(n) * time.Hour})
	}
	b = append(b, ReviewPull{Number: 3, Waited: 100 * time.Hour}, ReviewPull{Number: 99, Waited: time.Minute})
	r := NewReviews([]ReviewGroup{{Reviewer: "a", Pulls: a}, {Reviewer: "@o/b", Team: true, Pulls: b}})
	if r.Pulls != 26 || r.More != 6 {
		t.Fatalf("Pulls %d More %d, want 26 and 6", r.Pulls, r.More)
	}
	if len(r.Groups) != 2 || r.Groups[0].Reviewer != "@o/b" || len(r.Groups[0].Pulls) != 1 || r.Groups[0].Pulls[0].Number != 3 {
		t.Errorf("groups %+v: the team's #3 waited longest, and its #99 is not among the 20", r.Groups)
	}
	listed := r.Groups[1].Pulls
	// #3 waits 100 hours in the team's queue, so it is among the 20 in
	// both queues, and #6 is the one left out.
	if len(listed) != 20 || listed[0].Number != 25 || listed[18].Number != 7 || listed[19].Number != 3 {
		t.Errorf("listed %+v, want #25 down to #7, then #3", listed)
	}
}

func TestNewReviewsOfNothing(t *testing.T) {
	t.Parallel()
	if r := NewReviews(nil); r.Pulls != 0 || r.More != 0 || r.Groups != nil {
		t.Errorf("%+v", r)
	}
}

// TestNewReviewsBoundsTheLines: one pull request asked of 3,000 reviewers
// takes at most MaxReviewLines lines, and the pull requests then listed
// nowhere are counted.
func TestNewReviewsBoundsTheLines(t *testing.T) {
	t.Parallel()
	var groups []ReviewGroup
	for i := range 3000 {
		groups = append(groups, ReviewGroup{Reviewer: "r" + strconv.Itoa(i), Pulls: []ReviewPull{
			{Number: 1, Waited: 2 * time.Hour}, {Number: 2, Waited: time.Hour}}})
	}
	r := NewReviews(groups)
	lines := 0
	for _, g := range r.Groups {
		lines += len(g.Pulls)
	}
	if lines != MaxReviewLines || r.Pulls != 2 || r.More != 0 {
		t.Errorf("%d lines, Pulls %d, More %d", lines, r.Pulls, r.More)
	}
}
