package event

import (
	"cmp"
	"slices"
	"strings"
)

// Class is what an outcome means for the people reading the message. The
// icon, the words, mentions, tasks and notify-when all go by the class;
// the message still shows GitHub's own word where it helps.
type Class string

// The outcome classes. ClassNone is an announcement: the event reports no
// outcome (a pull request opened, a release published).
const (
	ClassSucceeded  Class = "succeeded"
	ClassFailed     Class = "failed"
	ClassCancelled  Class = "cancelled"
	ClassAttention  Class = "attention" // waiting for someone: approval, a protected environment
	ClassInProgress Class = "in_progress"
	ClassNeutral    Class = "neutral" // skipped, neutral, stale, inactive: nothing to act on
	ClassNone       Class = ""
)

// outcome is an outcome word and its class.
type outcome struct {
	word  string
	class Class
}

// outcomes lists every outcome word GitHub uses (run, job and check
// conclusions and statuses, deployment and commit states) with its class,
// in the order help texts name them, and the words of other CI systems
// that have no GitHub equivalent.
var outcomes = []outcome{
	{"success", ClassSucceeded},
	{"failure", ClassFailed},
	{"cancelled", ClassCancelled},
	{"skipped", ClassNeutral},
	{"timed_out", ClassFailed},
	{"action_required", ClassAttention},
	{"neutral", ClassNeutral},
	{"stale", ClassNeutral},
	{"startup_failure", ClassFailed},
	{"error", ClassFailed},
	{"inactive", ClassNeutral},
	{"queued", ClassInProgress},
	{"in_progress", ClassInProgress},
	{"pending", ClassInProgress},
	{"requested", ClassInProgress},
	{"waiting", ClassAttention},
	// Not GitHub's: Jenkins' UNSTABLE (the build passed, tests failed),
	// kept as its own word in the failure class.
	{"unstable", ClassFailed},
}

// outcomeWords is outcomes as a map, word → class.
var outcomeWords = func() map[string]Class {
	m := make(map[string]Class, len(outcomes))
	for _, o := range outcomes {
		m[o.word] = o.class
	}
	return m
}()

var classIcons = map[Class]string{
	ClassSucceeded:  "✅",
	ClassFailed:     "❌",
	ClassCancelled:  "🚫",
	ClassAttention:  "⏸️",
	ClassInProgress: "⏳",
	ClassNeutral:    "⏭️",
}

// OutcomeWords lists the accepted outcome words, for help and errors.
func OutcomeWords() []string {
	words := make([]string, len(outcomes))
	for i, o := range outcomes {
		words[i] = o.word
	}
	return words
}

// NormaliseOutcome returns the outcome word for s (any case; "canceled"
// and "cancelled" alike) and whether it is one.
func NormaliseOutcome(s string) (string, bool) {
	w := strings.ToLower(strings.TrimSpace(s))
	if w == "canceled" {
		w = "cancelled"
	}
	_, ok := outcomeWords[w]
	return w, ok
}

// ClassOf returns the class of an outcome word (ClassNone for "" or a word
// GitHub does not use for outcomes).
func ClassOf(word string) Class { return outcomeWords[word] }

// Icon returns the emoji of a class ("" for ClassNone).
func (c Class) Icon() string { return classIcons[c] }

// StepFailed reports whether a job or step conclusion counts as a failure.
func StepFailed(conclusion string) bool { return ClassOf(conclusion) == ClassFailed }

// severity orders the classes from the one a reader must act on first.
var severity = []Class{ClassFailed, ClassCancelled, ClassAttention, ClassInProgress, ClassSucceeded, ClassNeutral}

// moreSevere reports whether outcome word a comes before b in a report:
// by class (failed first), then in the order of outcomes.
func moreSevere(a, b string) bool {
	ca, cb := slices.Index(severity, ClassOf(a)), slices.Index(severity, ClassOf(b))
	if ca != cb {
		return ca < cb
	}
	wa := slices.IndexFunc(outcomes, func(o outcome) bool { return o.word == a })
	wb := slices.IndexFunc(outcomes, func(o outcome) bool { return o.word == b })
	return wa < wb
}

// ReportRun counts jobs by outcome, leaving out the job running the
// notifier: a job's conclusion when it has one, else its status (queued,
// in_progress). When no job is known to be the notifier's (its runner was
// not recognised), unfinished jobs are left out too, since it is one of
// them. The worst outcome is the first result; it is "" when no job is
// counted.
func ReportRun(jobs []Job) (RunReport, string) {
	known := slices.ContainsFunc(jobs, func(j Job) bool { return j.Current })
	counts := map[string]int{}
	var r RunReport
	for _, j := range jobs {
		if j.Current || !known && j.Conclusion == "" {
			continue
		}
		word, ok := NormaliseOutcome(cmp.Or(j.Conclusion, j.Status))
		if !ok {
			word = "neutral"
		}
		counts[word]++
		r.Jobs++
	}
	for word, n := range counts {
		r.Results = append(r.Results, ResultCount{Result: word, Icon: ClassOf(word).Icon(), Count: n})
	}
	slices.SortFunc(r.Results, func(a, b ResultCount) int {
		if moreSevere(a.Result, b.Result) {
			return -1
		}
		return 1
	})
	if len(r.Results) == 0 {
		return r, ""
	}
	return r, r.Results[0].Result
}
