package config

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
)

// MaxTemplateFileBytes caps template-file: a message is at most 65,535
// bytes, so a larger template is a mistake or an attack.
const MaxTemplateFileBytes = 1 << 20

func loadTemplate(m *Message, inline, file, workspace string) error {
	switch {
	case inline != "" && file != "":
		return inputErr("template-file", "both template and template-file are set; use one of them")
	case inline != "":
		m.Template, m.TemplateName = inline, "input template"
	case file != "":
		b, err := readWorkspaceFile(workspace, file)
		if err != nil {
			return inputErr("template-file", "%q: %v", file, err)
		}
		if strings.TrimSpace(string(b)) == "" {
			return inputErr("template-file", "%q is empty", file)
		}
		m.Template, m.TemplateName = string(b), "input template-file "+file
	}
	return nil
}

// readWorkspaceFile reads a regular file of at most MaxTemplateFileBytes
// inside workspace (the current directory when empty). The path may be
// relative to the workspace or absolute inside it; symbolic links are
// followed only while they stay inside (os.Root), so "../", absolute paths
// elsewhere and committed links to /proc, /dev or the runner's files are
// refused, and so are devices, FIFOs and directories.
func readWorkspaceFile(workspace, file string) ([]byte, error) {
	if workspace == "" {
		workspace = "."
	}
	ws, err := filepath.Abs(workspace)
	if err != nil {
		return nil, err
	}
	rel := filepath.Clean(file)
	if filepath.IsAbs(rel) {
		if rel, err = filepath.Rel(ws, rel); err != nil {
			return nil, err
		}
	}
	const hint = "give the path of a template file inside the workspace (check out the repository first)"
	if !filepath.IsLocal(rel) {
		return nil, fmt.Errorf("is outside the workspace %s; %s", ws, hint)
	}
	root, err := os.OpenRoot(ws)
	if err != nil {
		return nil, fmt.Errorf("cannot open the workspace: %w", unwrapPathError(err))
	}
	defer root.Close()
	// Stat before opening: opening a FIFO would block.
	st, err := root.Stat(rel)
	if err != nil {
		return nil, fmt.Errorf("cannot be read (%w); %s, and links that stay inside it", unwrapPathError(err), hint)
	}
	if !st.Mode().IsRegular() {
		return nil, fmt.Errorf("is not a regular file (%s); %s", st.Mode().Type(), hint)
	}
	if st.Size() > MaxTemplateFileBytes {
		return nil, fmt.Errorf("is %d bytes; a template file may have at most %d", st.Size(), MaxTemplateFileBytes)
	}
	f, err := root.Open(rel)
	if err != nil {
		return nil, fmt.Errorf("cannot be read: %w", unwrapPathError(err))
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, MaxTemplateFileBytes+1))
	if err != nil {
		return nil, fmt.Errorf("cannot be read: %w", unwrapPathError(err))
	}
	if len(b) > MaxTemplateFileBytes {
		return nil, fmt.Errorf("is larger than %d bytes", MaxTemplateFileBytes)
	}
	return b, nil
}

func unwrapPathError(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}
