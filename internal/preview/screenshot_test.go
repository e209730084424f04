package preview

import (
	"context"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"
)

// page wraps a preview in roughly the styles GitHub gives tables, code and
// quotes in a job summary; the header cell gets a colour the test looks for.
const page = `<!doctype html><meta charset="utf-8"><style>
body{font-family:sans-serif;font-size:14px;margin:16px;background:#fff;color:#1f2328}
table{border-collapse:collapse}td,th{border:1px solid #d1d9e0;padding:6px 13px;vertical-align:top}
th{background:#ddf4ff}pre{background:#f6f8fa;padding:8px}blockquote{border-left:4px solid #d1d9e0;margin:0;padding:0 1em;color:#59636e}
</style><body>`

func chromium(t *testing.T) string {
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	t.Skip("no Chromium on this machine (Debian package: chromium)")
	return ""
}

// TestPreviewInChromium renders one preview in headless Chromium and checks
// the screenshot: the info box's title row is drawn as a header cell.
// Set PREVIEW_SCREENSHOT=file.png to keep the picture.
func TestPreviewInChromium(t *testing.T) {
	t.Parallel()
	bin := chromium(t)
	body, err := os.ReadFile("testdata/failure-with-jobs.txt")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	html := filepath.Join(dir, "preview.html")
	if err := os.WriteFile(html, []byte(page+HTML(string(body))), 0o644); err != nil {
		t.Fatal(err)
	}
	shot := filepath.Join(dir, "preview.png")
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
		"--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
		"--user-data-dir="+filepath.Join(dir, "profile"), "--hide-scrollbars",
		"--window-size=1000,700", "--screenshot="+shot, "file://"+html)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Skipf("Chromium could not run here: %v\n%s", err, out)
	}
	f, err := os.Open(shot)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	if b := img.Bounds(); b.Dx() != 1000 || b.Dy() != 700 {
		t.Errorf("screenshot is %v", b)
	}
	header, ink := 0, 0
	for y := img.Bounds().Min.Y; y < img.Bounds().Max.Y; y++ {
		for x := img.Bounds().Min.X; x < img.Bounds().Max.X; x++ {
			r, g, b, _ := img.At(x, y).RGBA()
			r, g, b = r>>8, g>>8, b>>8
			if r == 0xdd && g == 0xf4 && b == 0xff {
				header++
			}
			if r < 0x80 && g < 0x80 && b < 0x80 {
				ink++
			}
		}
	}
	if header < 5000 {
		t.Errorf("the info title row is not drawn as a header cell (%d header pixels)", header)
	}
	if ink < 2000 {
		t.Errorf("hardly any text was drawn (%d dark pixels)", ink)
	}
	if keep := os.Getenv("PREVIEW_SCREENSHOT"); keep != "" {
		b, _ := os.ReadFile(shot)
		os.WriteFile(keep, b, 0o644)
	}
}
