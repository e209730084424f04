package ghapi

import (
	"bytes"
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/chatwork-notify/chatwork-notify/internal/event"
	"github.com/google/go-github/v60/github"
)

// Bounds of the details reads.
const (
	maxAnnotationPages = 5       // of 100 annotations
	MaxLogBytes        = 4 << 20 // the tail of a job's log that is read
)

// exitCodeNoise is the annotation the runner adds to every failed step:
// it says nothing the step's name does not.
var exitCodeNoise = regexp.MustCompile(`^Process completed with exit code \d+\.?$`)

// Annotations returns the failure and warning annotations of a check run
// (a job's id is its check run's id), failures first, without the
// runner's own noise (the exit-code line, and warnings about the workflow
// file itself, such as deprecations). Needs checks: read.
func (c *Client) Annotations(ctx context.Context, checkRunID int64) ([]event.Annotation, error) {
	opts := &github.ListOptions{PerPage: 100}
	var out []event.Annotation
	for range maxAnnotationPages {
		list, resp, err := c.gh.Checks.ListCheckRunAnnotations(ctx, c.owner, c.repo, checkRunID, opts)
		if err != nil {
			return out, fmt.Errorf("listing the annotations of job %d: %w", checkRunID, err)
		}
		for _, a := range list {
			level, msg := a.GetAnnotationLevel(), strings.TrimSpace(a.GetMessage())
			switch {
			case level != "failure" && level != "warning",
				exitCodeNoise.MatchString(msg),
				level == "warning" && a.GetPath() == ".github":
				continue
			}
			out = append(out, event.Annotation{
				Level: level, Path: a.GetPath(), Line: a.GetStartLine(),
				Message: event.FirstLine(cmp.Or(msg, a.GetTitle())),
			})
		}
		if resp.NextPage == 0 {
			break
		}
		opts.Page = resp.NextPage
	}
	slices.SortStableFunc(out, func(a, b event.Annotation) int {
		if a.Level == b.Level {
			return 0
		}
		if a.Level == "failure" {
			return -1
		}
		return 1
	})
	return out, nil
}

// ErrLogGone means GitHub has no log for the job (it has not finished, or
// the log expired).
var ErrLogGone = errors.New("the job's log is not available (it has not finished, or it expired)")

// JobLog returns the end of a job's log, at most MaxLogBytes. GitHub
// answers with a redirect to a storage host; that request is made without
// the GitHub token (a pre-signed link needs none, and the token stays
// with the API host). Needs actions: read.
func (c *Client) JobLog(ctx context.Context, jobID int64) (string, error) {
	req, err := c.gh.NewRequest(http.MethodGet, fmt.Sprintf("repos/%s/%s/actions/jobs/%d/logs", c.owner, c.repo, jobID), nil)
	if err != nil {
		return "", err
	}
	resp, err := c.noRedirect.Do(req.WithContext(ctx))
	if err != nil {
		return "", fmt.Errorf("reading the log of job %d: %w", jobID, err)
	}
	defer resp.Body.Close()
	switch resp.StatusCode {
	case http.StatusFound, http.StatusTemporaryRedirect, http.StatusSeeOther, http.StatusMovedPermanently:
		loc, err := resp.Location()
		if err != nil {
			return "", fmt.Errorf("reading the log of job %d: %w", jobID, err)
		}
		return c.fetchLog(ctx, loc.String())
	case http.StatusOK:
		return readTail(resp.Body, MaxLogBytes, false)
	case http.StatusNotFound, http.StatusGone:
		return "", ErrLogGone
	}
	return "", fmt.Errorf("reading the log of job %d: %w", jobID, github.CheckResponse(resp))
}

// fetchLog reads the tail of the log at the storage link, with no
// credentials at all.
func (c *Client) fetchLog(ctx context.Context, link string) (string, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, link, nil)
	if err != nil {
		return "", err
	}
	req.Header.Set("Range", "bytes=-"+strconv.Itoa(MaxLogBytes))
	resp, err := c.storage.Do(req)
	if err != nil {
		return "", fmt.Errorf("downloading the job log: %w", withoutQuery(err))
	}
	defer resp.Body.Close()
	switch resp.StatusCode {
	case http.StatusOK:
		return readTail(resp.Body, MaxLogBytes, false)
	case http.StatusPartialContent:
		// A range that does not start at 0 may start inside a line.
		return readTail(resp.Body, MaxLogBytes, !strings.HasPrefix(resp.Header.Get("Content-Range"), "bytes 0-"))
	case http.StatusNotFound, http.StatusGone:
		return "", ErrLogGone
	}
	return "", fmt.Errorf("downloading the job log: the storage host answered %s", resp.Status)
}

// readTail reads r to the end and keeps its last n bytes, starting at a
// line: when it drops text, or r starts inside a line (cut), the first
// line goes.
func readTail(r io.Reader, n int, cut bool) (string, error) {
	var buf bytes.Buffer
	chunk := make([]byte, 64<<10)
	for {
		k, err := r.Read(chunk)
		buf.Write(chunk[:k])
		if buf.Len() > 2*n {
			tail := append([]byte(nil), buf.Bytes()[buf.Len()-n:]...)
			buf.Reset()
			buf.Write(tail)
			cut = true
		}
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return "", fmt.Errorf("downloading the job log: %w", err)
		}
	}
	b := buf.Bytes()
	if len(b) > n {
		b, cut = b[len(b)-n:], true
	}
	if cut {
		if i := bytes.IndexByte(b, '\n'); i >= 0 {
			b = b[i+1:]
		}
	}
	return string(b), nil
}

var (
	logTimestamp = regexp.MustCompile(`^\x{FEFF}?\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?Z ?`)
	ansi         = regexp.MustCompile(`\x1b\[[0-9;?]*[ -/]*[@-~]`)
	logMarker    = regexp.MustCompile(`^##\[([a-z]+)\]`)
)

// FailedStepLines cuts a job log (as JobLog returns it) into steps, at
// the runner's "##[group]Run …" lines and its post-job lines, and returns
// the last n output lines of every step that logged an error, oldest step
// first: without timestamps, colours, the step's own header group, and the
// runner's exit-code line.
func FailedStepLines(log string, n int) []string {
	type section struct {
		lines  []string
		failed bool
	}
	var sections []section
	cur := &section{}
	inHeader := false
	for _, raw := range strings.Split(strings.ReplaceAll(log, "\r\n", "\n"), "\n") {
		line := ansi.ReplaceAllString(logTimestamp.ReplaceAllString(raw, ""), "")
		if strings.HasPrefix(line, "##[group]Run ") || line == "Post job cleanup." || line == "Cleaning up orphan processes" {
			sections = append(sections, *cur)
			cur = &section{}
			inHeader = strings.HasPrefix(line, "##[group]")
			continue
		}
		if inHeader {
			inHeader = !strings.HasPrefix(line, "##[endgroup]")
			continue
		}
		if m := logMarker.FindStringSubmatch(line); m != nil {
			line = strings.TrimPrefix(line, m[0])
			switch m[1] {
			case "error":
				cur.failed = true
				if exitCodeNoise.MatchString(strings.TrimSpace(line)) {
					continue
				}
			case "endgroup":
				continue
			}
		}
		cur.lines = append(cur.lines, line)
	}
	sections = append(sections, *cur)
	var out []string
	for _, s := range sections {
		if !s.failed {
			continue
		}
		lines := s.lines
		for len(lines) > 0 && strings.TrimSpace(lines[len(lines)-1]) == "" {
			lines = lines[:len(lines)-1]
		}
		out = append(out, lines[max(len(lines)-n, 0):]...)
	}
	return out
}

// withoutQuery removes the query of the URL an *url.Error quotes: a
// storage link is pre-signed, and its signature must not reach the log.
func withoutQuery(err error) error {
	var ue *url.Error
	if !errors.As(err, &ue) {
		return err
	}
	if u, perr := url.Parse(ue.URL); perr == nil {
		u.RawQuery, u.Fragment, u.User = "", "", nil
		return &url.Error{Op: ue.Op, URL: u.String(), Err: ue.Err}
	}
	return &url.Error{Op: ue.Op, URL: "(the storage link)", Err: ue.Err}
}
