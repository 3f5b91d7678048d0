package prompts

// Names of the templates about chats the bot is in.
const (
	// UnregisteredChat is posted once into a group that added the bot but is not in the config.
	UnregisteredChat = "chats.unregistered"
)
