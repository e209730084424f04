// Command picture makes the READMEs' pictures of a message: the golden
// messages of internal/app's TestREADMEPicture (a whole run of the
// program against the fakes), drawn by the job summary's preview renderer
// (internal/preview) in a page styled like a Chatwork room, photographed
// by headless Chromium. It writes docs/images/message-<lang>.png and, beside
// each, the message it shows (message-<lang>.txt), which a test keeps
// equal to the golden, so a changed message asks for a new picture.
//
//	go test ./internal/app -run TestREADMEPicture -update   # when the message changed
//	go run ./cmd/picture
//
// It needs Chromium and Japanese and emoji fonts (Debian: chromium,
// fonts-noto-cjk, fonts-noto-color-emoji).
package main

import (
	"context"
	"errors"
	"fmt"
	"html"
	"os"
	"os/exec"
	"path/filepath"
	"time"

	"github.com/chatwork-notify/chatwork-notify/internal/preview"
)

// golden is where the message of a language is, relative to the root.
func golden(lang string) string {
	return filepath.Join("internal", "app", "testdata", "golden", lang, "readme-picture.txt")
}

// shown is the copy of the message beside the picture of a language.
func shown(lang string) string { return filepath.Join("docs", "images", "message-"+lang+".txt") }

// page draws one message as a room shows it: the poster's icon and name,
// then the message.
const page = `<!doctype html><html lang="%s"><meta charset="utf-8"><style>
body{margin:0;background:#fff;color:#333;font:14px/1.6 "Noto Sans CJK JP","Noto Color Emoji",sans-serif}
.msg{display:flex;gap:12px;padding:16px 20px}
.icon{flex:none;width:40px;height:40px;border-radius:6px;background:#e8493c;color:#fff;font-weight:bold;
 display:flex;align-items:center;justify-content:center}
.name{font-weight:bold;margin-bottom:4px}
table{border-collapse:collapse;margin:4px 0}td,th{padding:0;vertical-align:top;text-align:left}
table table{border:1px solid #ccd5db;border-radius:3px;width:100%%}
table table th{background:#f2f5f7;padding:6px 10px;font-weight:bold}
table table td{padding:0 10px 6px}
a{color:#2a78c2;text-decoration:none}
</style><body><div class="msg"><div class="icon">CI</div><div><div class="name">%s</div>%s</div></div>`

func main() {
	if err := run(context.Background()); err != nil {
		fmt.Fprintln(os.Stderr, "picture:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context) error {
	bin, err := chromium()
	if err != nil {
		return err
	}
	tmp, err := os.MkdirTemp("", "picture")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	for _, lang := range []string{"en", "ja"} {
		body, err := os.ReadFile(golden(lang))
		if err != nil {
			return err
		}
		name := map[string]string{"en": "CI Bot", "ja": "CI ボット"}[lang]
		doc := filepath.Join(tmp, lang+".html")
		if err := os.WriteFile(doc, fmt.Appendf(nil, page, lang, html.EscapeString(name), preview.HTML(string(body))), 0o600); err != nil { //nolint:gosec // a file in this command's own temporary directory
			return err
		}
		png := filepath.Join("docs", "images", "message-"+lang+".png")
		if err := shoot(ctx, bin, filepath.Join(tmp, "profile-"+lang), doc, png); err != nil {
			return err
		}
		if err := os.WriteFile(shown(lang), body, 0o644); err != nil { //nolint:gosec // a file of the repository's docs
			return err
		}
		fmt.Println("picture: wrote", png)
	}
	return nil
}

func chromium() (string, error) {
	// Debian's launcher script is skipped when the browser itself is there:
	// its shared-memory check breaks when /dev/shm is mounted twice.
	if _, err := os.Stat("/usr/lib/chromium/chromium"); err == nil {
		return "/usr/lib/chromium/chromium", nil
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p, nil
		}
	}
	return "", errors.New("no Chromium (Debian: apt-get install chromium fonts-noto-cjk fonts-noto-color-emoji)")
}

// shoot photographs the page at doc into png.
func shoot(ctx context.Context, bin, profile, doc, png string) error {
	abs, err := filepath.Abs(png)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, 90*time.Second)
	defer cancel()
	//nolint:gosec // Chromium from PATH (or Debian's), on files this command wrote
	cmd := exec.CommandContext(ctx, bin, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
		"--no-first-run", "--disable-dev-shm-usage", "--disable-background-networking", "--disable-component-update", "--disable-sync",
		"--user-data-dir="+profile, "--hide-scrollbars", "--force-device-scale-factor=1",
		"--window-size=1000,620", "--screenshot="+abs, "file://"+doc)
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("chromium: %w\n%s", err, out)
	}
	return nil
}
