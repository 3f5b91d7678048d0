package prompts

// Templates of the people feature (handlers/people).
const (
	PeopleRegistered      = "people.registered"
	PeopleRegisterUsage   = "people.register_usage"
	PeopleMerged          = "people.merged"
	PeopleMergeUsage      = "people.merge_usage"
	PeopleMergeSame       = "people.merge_same"
	PeopleMergeCross      = "people.merge_cross"
	PeopleMergeConfigured = "people.merge_configured"
	PeopleNotFound        = "people.not_found"
	PeopleAmbiguous       = "people.ambiguous"
	PeopleRebound         = "people.rebound"
	PeopleRebindUsage     = "people.rebind_usage"
	PeopleGroupNotFound   = "people.group_not_found"
	PeopleChatTaken       = "people.chat_taken"
)
