package console

import (
	"context"
	"fmt"
	"mime"
	"os"
	"path/filepath"
	"strings"

	"github.com/qiao-community/qiao/bot"
)

// CanSend: the console writes every kind to a file and prints its path.
func (a *Adapter) CanSend(string) bool { return a.FilesDir != "" }

// sendFiles writes the attachments of a sent message under FilesDir/sent and
// returns the lines that name them.
func (a *Adapter) sendFiles(m bot.Outgoing) ([]string, error) {
	var lines []string
	for i, at := range m.Attachments {
		dir := filepath.Join(a.FilesDir, "sent")
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return nil, err
		}
		name := filepath.Base(at.Name)
		if name == "." || name == "/" || name == "" {
			name = "file"
		}
		path := filepath.Join(dir, fmt.Sprintf("%d-%d-%s", m.ID, i+1, name))
		if err := os.WriteFile(path, at.Data, 0o644); err != nil {
			return nil, err
		}
		lines = append(lines, a.render("attach.file_sent", map[string]string{"Path": path}))
	}
	return lines, nil
}

// attachment reads ":photo PATH [caption]" or ":file PATH [caption]" and sends
// the file as a message from the current person, the caption as its text. A
// copy is kept under FilesDir/received, as a platform would have it.
func (a *Adapter) attachment(ctx context.Context, in bot.Inbound, kind, arg string) {
	path, caption, _ := strings.Cut(arg, " ")
	if path == "" {
		a.say("console.usage_attach", nil)
		return
	}
	data, err := os.ReadFile(path)
	if err != nil {
		a.say("attach.file_unreadable", map[string]string{"Path": path, "Err": err.Error()})
		return
	}
	if a.FilesDir != "" {
		dir := filepath.Join(a.FilesDir, "received")
		if err := os.MkdirAll(dir, 0o755); err == nil {
			_ = os.WriteFile(filepath.Join(dir, a.prefix+"-"+filepath.Base(path)), data, 0o644)
		}
	}
	at := bot.Attachment{Kind: kind, Name: filepath.Base(path), MIME: mime.TypeByExtension(filepath.Ext(path)), Data: data}
	a.send(ctx, in, strings.TrimSpace(caption), []bot.Attachment{at})
}
