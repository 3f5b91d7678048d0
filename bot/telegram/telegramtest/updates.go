package telegramtest

// The updates tests push: helpers that build them as Telegram does.

// Chat is a chat of an update.
func Chat(id int64, title string) map[string]any {
	t := "supergroup"
	if id > 0 {
		t = "private"
	}
	return map[string]any{"id": id, "type": t, "title": title}
}

// User is a person.
func User(id int64, name string) map[string]any {
	return map[string]any{"id": id, "is_bot": false, "first_name": name}
}

// Message is a text message update.
func Message(chat map[string]any, from map[string]any, messageID int, text string) map[string]any {
	return map[string]any{"message": map[string]any{"message_id": messageID, "date": 1764464400, "chat": chat, "from": from, "text": text}}
}

// Anonymous is a message an anonymous admin posted in chat: Telegram sends it
// from GroupAnonymousBot with the group itself as sender_chat.
func Anonymous(chat map[string]any, messageID int, text string) map[string]any {
	u := Message(chat, map[string]any{"id": 1087968824, "is_bot": true, "first_name": "Group", "username": "GroupAnonymousBot"}, messageID, text)
	u["message"].(map[string]any)["sender_chat"] = chat
	return u
}

// AsChannel is a message posted in chat on behalf of another chat (a linked
// channel's automatic forward, or a user speaking as their channel).
func AsChannel(chat, channel map[string]any, messageID int, text string) map[string]any {
	u := Message(chat, map[string]any{"id": 777000, "is_bot": false, "first_name": "Telegram"}, messageID, text)
	u["message"].(map[string]any)["sender_chat"] = channel
	return u
}

// Edited is an edited_message update.
func Edited(chat map[string]any, from map[string]any, messageID int, text string) map[string]any {
	m := Message(chat, from, messageID, text)["message"].(map[string]any)
	m["edit_date"] = 1764464500
	return map[string]any{"edited_message": m}
}

// Press is a callback_query update: from pressed a button with data under the
// bot's message messageID.
func Press(id string, chat map[string]any, from map[string]any, messageID int, data string) map[string]any {
	return map[string]any{"callback_query": map[string]any{"id": id, "from": from, "data": data, "chat_instance": "1",
		"message": map[string]any{"message_id": messageID, "date": 1764464400, "chat": chat,
			"from": map[string]any{"id": BotID, "is_bot": true, "first_name": "Qiao", "username": Username}, "text": "…"}}}
}

// Added is a my_chat_member update: from added the bot to chat.
func Added(chat map[string]any, from map[string]any) map[string]any {
	return map[string]any{"my_chat_member": map[string]any{"chat": chat, "from": from, "date": 1764464400,
		"old_chat_member": map[string]any{"status": "left", "user": map[string]any{"id": BotID, "is_bot": true, "first_name": "Qiao"}},
		"new_chat_member": map[string]any{"status": "member", "user": map[string]any{"id": BotID, "is_bot": true, "first_name": "Qiao"}}}}
}

// Migrated is the service message a group posts when it became a supergroup.
func Migrated(oldChat, newChat int64) map[string]any {
	return map[string]any{"message": map[string]any{"message_id": 9000, "date": 1764464400,
		"chat": map[string]any{"id": oldChat, "type": "group", "title": "old"},
		"from": map[string]any{"id": 7, "is_bot": false, "first_name": "Admin"}, "migrate_to_chat_id": newChat}}
}
