package attach

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
)

// read reads the files at paths through root until o.MaxFiles are read or
// ctx ends. A file that cannot be attached is skipped with a warning (the
// first maxSkipped each with their own, the rest counted in one); the
// files left over are counted in one warning. capped says the search
// stopped at maxMatches, so more files match than paths holds.
func read(ctx context.Context, root *os.Root, paths []string, o Options, capped bool) ([]File, []string) {
	var (
		files    []File
		warnings []string
		skipped  int
		left     int // paths not tried
	)
	for i, p := range paths {
		if len(files) == o.MaxFiles || ctx.Err() != nil {
			left = len(paths) - i
			break
		}
		f, err := readFile(root, p, o.MaxFileBytes)
		if err != nil {
			if skipped++; skipped <= maxSkipped {
				warnings = append(warnings, fmt.Sprintf("%s%s skipped: %v", inputPrefix, p, err))
			}
			continue
		}
		files = append(files, f)
	}
	more := fmt.Sprint(left)
	if capped {
		more = "more than " + more
	}
	switch {
	case capped && left == 0:
		warnings = append(warnings, fmt.Sprintf("%smore than %d files match; only the first %d were looked at", inputPrefix, maxMatches, maxMatches))
	case left > 0 && len(files) == o.MaxFiles:
		warnings = append(warnings, fmt.Sprintf("%s%s more file(s) match; at most %d are attached, the rest are left out", inputPrefix, more, o.MaxFiles))
	case left > 0:
		warnings = append(warnings, fmt.Sprintf("%sstopped reading files at the time limit; %s file(s) left out", inputPrefix, more))
	}
	if skipped > maxSkipped {
		warnings = append(warnings, fmt.Sprintf("%s%d more file(s) skipped, too large or not readable", inputPrefix, skipped-maxSkipped))
	}
	return files, warnings
}

// readFile reads the regular file at p, following a link only while it
// stays inside root, if it has at most limit bytes. Its error says why
// the file cannot be attached.
func readFile(root *os.Root, p string, limit int64) (File, error) {
	// Stat before opening: opening a named pipe would wait for a writer.
	st, err := root.Stat(p)
	if err != nil {
		return File{}, statError(root, p, err)
	}
	if err := attachable(st, limit); err != nil {
		return File{}, err
	}
	// Non-blocking, in case a named pipe took the file's place since the
	// Stat: its open would wait for a writer. Regular files ignore it.
	f, err := root.OpenFile(p, os.O_RDONLY|nonBlock, 0)
	if err != nil {
		return File{}, statError(root, p, err)
	}
	defer f.Close()
	if st, err = f.Stat(); err != nil {
		return File{}, err
	}
	if err := attachable(st, limit); err != nil {
		return File{}, err
	}
	// One byte more than the size tells a file that grew meanwhile.
	buf := make([]byte, st.Size()+1)
	n, err := io.ReadFull(f, buf)
	switch {
	case n == len(buf):
		return File{}, errors.New("it changed while it was read")
	case err != nil && !errors.Is(err, io.ErrUnexpectedEOF) && !errors.Is(err, io.EOF):
		return File{}, err
	}
	return File{Name: path.Base(p), Path: p, Content: buf[:n:n]}, nil
}

// attachable says why a file described by st cannot be attached, if it
// cannot.
func attachable(st fs.FileInfo, limit int64) error {
	switch {
	case st.IsDir():
		return errors.New("it is a directory")
	case !st.Mode().IsRegular():
		return fmt.Errorf("not a regular file (%s)", st.Mode().Type())
	case st.Size() > limit:
		return fmt.Errorf("it is %s; a file may have at most %s", size(st.Size()), size(limit))
	}
	return nil
}

// statError explains why p cannot be reached: a link that leads out of
// the workspace or to nothing, or err itself.
func statError(root *os.Root, p string, err error) error {
	lst, lerr := root.Lstat(p)
	switch {
	case lerr != nil || lst.Mode()&fs.ModeSymlink == 0:
		return err
	case errors.Is(err, fs.ErrNotExist):
		return errors.New("it is a link to nothing")
	}
	return errors.New("it is a link that leads outside the workspace (links must be relative and stay inside it)")
}

// size is n bytes for people: "5 MB", "6.2 MB" (MiB, as Chatwork counts),
// or bytes below one.
func size(n int64) string {
	switch {
	case n < 1<<20:
		return fmt.Sprintf("%d bytes", n)
	case n%(1<<20) == 0:
		return fmt.Sprintf("%d MB", n>>20)
	}
	return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
}
