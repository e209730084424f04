package app

import (
	"context"
	"fmt"

	"github.com/chatwork-notify/chatwork-notify/internal/attach"
	"github.com/chatwork-notify/chatwork-notify/internal/deliver"
)

// findAttachments reads the files of the attach input from the workspace,
// beside the other reads, within insightTimeout; what it skips, it says.
// The channel gets the files in order (none without attach).
func (r *run) findAttachments(ctx context.Context) <-chan []deliver.Attachment {
	out := make(chan []deliver.Attachment, 1)
	globs := r.cfg.Delivery.Attach
	if len(globs) == 0 || r.cfg.Delivery.Mode == deliver.Ask { // a question attaches nothing
		out <- nil
		return out
	}
	go func() {
		ctx, cancel := context.WithTimeout(ctx, insightTimeout)
		defer cancel()
		files, warnings, err := attach.Find(ctx, r.cfg.Run.Workspace, globs, attach.Options{})
		for _, w := range warnings {
			r.out.Warning(w)
		}
		if err != nil {
			r.out.Warning("attach: " + err.Error())
		}
		var list []deliver.Attachment
		for _, f := range files {
			r.out.Info(fmt.Sprintf("attach: %s (%d bytes)", f.Path, len(f.Content)))
			// A secret in a file of the workspace (a debug dump) is redacted
			// like everything else the action sends.
			content := f.Content
			if red := r.out.Redact(string(content)); red != string(content) {
				r.out.Warning(fmt.Sprintf("attach: %s holds a secret of this step; it is uploaded with the secret replaced by ***", f.Path))
				content = []byte(red)
			}
			list = append(list, deliver.Attachment{Name: r.out.Redact(f.Name), Content: content})
		}
		out <- list
	}()
	return out
}
