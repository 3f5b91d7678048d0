// Package qiao holds what the whole program shares from the repository's root:
// the example configuration, which is also the demo community the console runs
// when no config file is given.
package qiao

import _ "embed"

// ExampleConfig is config.example.yaml.
//
//go:embed config.example.yaml
var ExampleConfig []byte
