package bot

import "fmt"

// UserError is a refusal the sender should read: bad input, a wrong ID, a
// missing permission. The Engine rolls back everything the handler did and
// replies with the template instead.
type UserError struct {
	Template string
	Data     any
}

func (e *UserError) Error() string { return fmt.Sprintf("refused: %s", e.Template) }

// Refuse returns a UserError: reply with template and data, change nothing.
func Refuse(template string, data any) error { return &UserError{Template: template, Data: data} }
