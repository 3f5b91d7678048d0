package prompts

// Names of the emergency templates (prompts/*/emergency.tmpl).
const (
	RequestsEmergency      = "requests.emergency"       // the reply in the chat: hotlines and the urgent ticket
	RequestsStaffEmergency = "requests.staff_emergency" // the alert to the staff groups
)
