package wechattest

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"
)

// media holds the fake's pictures: those members sent (served by
// webwxgetmsgimg) and those the bot uploaded (webwxuploadmedia).
type media struct {
	images  map[string][]byte // MsgId → bytes
	uploads map[string][]byte // MediaId → bytes
}

// SayPicture queues a picture (MsgType 3) from a member; the bot fetches its
// bytes with webwxgetmsgimg.
func (f *Fake) SayPicture(group, nick string, data []byte) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.images == nil {
		f.images = map[string][]byte{}
	}
	f.msgID++
	id := fmt.Sprint(1000 + f.msgID)
	f.images[id] = data
	f.queue = append(f.queue, map[string]any{"MsgId": id, "MsgType": 3, "CreateTime": time.Now().Unix(),
		"FromUserName": f.ids[group], "ToUserName": f.ids[f.selfNick], "Content": f.ids[nick] + ":<br/>"})
	f.signal()
}

func (f *Fake) serveMedia(w http.ResponseWriter, r *http.Request) {
	switch {
	case strings.HasSuffix(r.URL.Path, "/webwxgetmsgimg"):
		f.mu.Lock()
		data, ok := f.images[r.URL.Query().Get("MsgID")]
		f.mu.Unlock()
		if !ok {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "image/jpeg")
		_, _ = w.Write(data)
	case strings.HasSuffix(r.URL.Path, "/webwxuploadmedia"):
		f.upload(w, r)
	default:
		f.sendImage(w, r)
	}
}

// upload accepts one chunk (the library sends files under 512 KB whole) and
// answers its MediaId.
func (f *Fake) upload(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseMultipartForm(32 << 20); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	file, _, err := r.FormFile("filename")
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	data, _ := io.ReadAll(file)
	file.Close()
	f.mu.Lock()
	if f.uploads == nil {
		f.uploads = map[string][]byte{}
	}
	id := fmt.Sprintf("@media%d", len(f.uploads)+1)
	f.uploads[id] = data
	f.mu.Unlock()
	writeJSON(w, map[string]any{"BaseResponse": map[string]any{"Ret": 0}, "MediaId": id})
}

func (f *Fake) sendImage(w http.ResponseWriter, r *http.Request) {
	var req struct {
		Msg struct{ MediaId, ToUserName, LocalID string }
	}
	body, _ := io.ReadAll(r.Body)
	_ = json.Unmarshal(body, &req)
	f.mu.Lock()
	defer f.mu.Unlock()
	to, ok := f.names[req.Msg.ToUserName]
	data, uploaded := f.uploads[req.Msg.MediaId]
	if !ok || !uploaded {
		fmt.Fprint(w, `{"BaseResponse":{"Ret":1,"ErrMsg":"no such chat or media"}}`)
		return
	}
	f.msgID++
	id := fmt.Sprint(5000 + f.msgID)
	f.sent = append(f.sent, Sent{ID: id, To: to, Image: data})
	f.signal()
	fmt.Fprintf(w, `{"BaseResponse":{"Ret":0,"ErrMsg":""},"MsgID":"%s","LocalID":"%s"}`, id, req.Msg.LocalID)
}
