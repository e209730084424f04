package chatwork

import (
	"bytes"
	"context"
	"fmt"
	"mime"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"path"
	"strings"
)

// MaxFileBytes is Chatwork's limit on an uploaded file (5 MB).
const MaxFileBytes = 5 << 20

// UploadFile uploads a file to room with an optional message
// (POST /rooms/{room_id}/files, multipart) and returns the file's id. An
// upload whose outcome is unknown is not repeated (Chatwork has no way to
// ask whether it arrived), so a file is never posted twice.
//
// Chatwork API docs: https://developer.chatwork.com/reference/post-rooms-room_id-files
func (c *Client) UploadFile(ctx context.Context, room int64, name string, content []byte, message string) (int64, error) {
	if len(content) > MaxFileBytes {
		return 0, fmt.Errorf("the file %s is %d bytes; Chatwork takes at most %d", name, len(content), MaxFileBytes)
	}
	body, contentType, err := fileForm(name, content, message)
	if err != nil {
		return 0, err
	}
	var out struct {
		FileID int64 `json:"file_id"`
	}
	r := request{method: http.MethodPost, path: roomPath(room, "files"), body: body, contentType: contentType, decode: into(&out)}
	r.settle = func(_ context.Context, why settleReason, cause error) (bool, error) {
		switch why {
		case settleUnknown:
			return false, fmt.Errorf("POST %s: %w (not uploading again: the file may have arrived)", r.path, cause)
		case settleCut:
			return true, nil
		}
		return false, nil
	}
	err = c.do(ctx, r)
	return out.FileID, err
}

// fileForm is the multipart body of an upload: the file part, typed by
// its name's extension (else by its content), and the optional message
// field.
func fileForm(name string, content []byte, message string) ([]byte, string, error) {
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	h := textproto.MIMEHeader{}
	h.Set("Content-Disposition", FileDisposition(name))
	h.Set("Content-Type", ContentType(name, content))
	part, err := mw.CreatePart(h)
	if err == nil {
		_, err = part.Write(content)
	}
	if err == nil && message != "" {
		err = mw.WriteField("message", message)
	}
	if err == nil {
		err = mw.Close()
	}
	return buf.Bytes(), mw.FormDataContentType(), err
}

// ContentType is the media type of a file to upload: by its extension
// (.png, .html, .json, .log as text, …), else what its first bytes look
// like.
func ContentType(name string, content []byte) string {
	switch ext := strings.ToLower(path.Ext(name)); ext {
	case ".log", ".txt", ".md", ".csv":
		return "text/plain; charset=utf-8"
	case "":
	default:
		if t := mime.TypeByExtension(ext); t != "" {
			return t
		}
	}
	return http.DetectContentType(content)
}

// FileDisposition is the Content-Disposition of a file part exactly as
// browsers and curl write it: `form-data; name="file"; filename="…"`, the
// name first, both quoted, with LF, CR and '"' in the file name written as
// %0A, %0D and %22 (the HTML standard's multipart/form-data encoding).
func FileDisposition(filename string) string {
	esc := strings.NewReplacer("\n", "%0A", "\r", "%0D", `"`, "%22").Replace(filename)
	return `form-data; name="file"; filename="` + esc + `"`
}
