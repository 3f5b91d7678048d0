package telegramtest

import (
	"io"
	"mime/multipart"
	"net/http"
	"strings"
)

// File is one uploaded file part of a call: its form field, file name, the
// type the client declared, and its bytes.
type File struct {
	Field, Name, Type string
	Data              []byte
}

// Size is the number of bytes uploaded.
func (f File) Size() int { return len(f.Data) }

func readFiles(form *multipart.Form) ([]File, error) {
	var out []File
	for field, hs := range form.File {
		for _, h := range hs {
			r, err := h.Open()
			if err != nil {
				return nil, err
			}
			data, err := io.ReadAll(r)
			r.Close()
			if err != nil {
				return nil, err
			}
			out = append(out, File{Field: field, Name: h.Filename, Type: h.Header.Get("Content-Type"), Data: data})
		}
	}
	return out, nil
}

// AddFile makes bytes fetchable under a file id (getFile, then /file/bot<TOKEN>/<path>).
func (f *Fake) AddFile(fileID string, data []byte) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.files[fileID] = data
}

func (f *Fake) getFile(w http.ResponseWriter, params map[string]string) {
	id := params["file_id"]
	f.mu.Lock()
	data, ok := f.files[id]
	f.mu.Unlock()
	if !ok {
		_, _ = io.WriteString(w, `{"ok":false,"error_code":400,"description":"Bad Request: invalid file_id"}`)
		return
	}
	reply(w, map[string]any{"file_id": id, "file_unique_id": "u" + id, "file_size": len(data), "file_path": "photos/" + id + ".jpg"})
}

// serveFile serves /file/bot<TOKEN>/photos/<file_id>.jpg.
func (f *Fake) serveFile(w http.ResponseWriter, r *http.Request) {
	rest, ok := strings.CutPrefix(r.URL.Path, "/file/bot"+Token+"/photos/")
	id, jpg := strings.CutSuffix(rest, ".jpg")
	f.mu.Lock()
	data, found := f.files[id]
	f.mu.Unlock()
	if !ok || !jpg || !found {
		http.NotFound(w, r)
		return
	}
	_, _ = w.Write(data)
}

// Photo is a message with a photo (two sizes, as Telegram sends them) and a
// caption; the bytes must be added with AddFile under fileID.
func Photo(chat map[string]any, from map[string]any, messageID int, caption, fileID string, size int) map[string]any {
	m := Message(chat, from, messageID, "")
	msg := m["message"].(map[string]any)
	delete(msg, "text")
	if caption != "" {
		msg["caption"] = caption
	}
	msg["photo"] = []map[string]any{
		{"file_id": fileID + "-thumb", "file_unique_id": "t" + fileID, "width": 90, "height": 67, "file_size": 1000},
		{"file_id": fileID, "file_unique_id": "p" + fileID, "width": 1280, "height": 960, "file_size": size},
	}
	return m
}
