package prompts

import (
	"bytes"
	"fmt"
	"reflect"
	"strconv"
	"sync/atomic"
	"text/template"
	"text/template/parse"
)

// A fast renderer for the common shape of Qiao's blocks: text, fields, if,
// with, nested blocks, eq/ne/and/or/not/gt/lt and the mask and clip
// functions. text/template calls every function and looks up every field
// by reflection, and allocates for each: a new request's reply and staff
// notice cost the single writer ~15 µs and 64 allocations. A block this
// renderer cannot do, or data it is unsure of (a method, a missing key, a
// value with its own String), makes it give up: Render then runs
// text/template, whose output and errors are the reference. In tests every
// fast render is checked against text/template (see crossCheck).

// fastSet is one language's blocks as the fast renderer runs them (the
// blocks it does not do are absent), and a memo for each step of each field
// chain: the struct type last seen there and its field's index.
type fastSet struct {
	blocks map[string]parse.Node
	fields map[*parse.FieldNode][]fieldMemo
}

type fieldMemo struct{ last atomic.Pointer[fieldHit] }

type fieldHit struct {
	t   reflect.Type
	idx []int // nil: not a plain field (see plainField)
}

// compileFast keeps the blocks of t whose every node the renderer knows.
func compileFast(t *template.Template) *fastSet {
	fs := &fastSet{blocks: map[string]parse.Node{}, fields: map[*parse.FieldNode][]fieldMemo{}}
	for _, x := range t.Templates() {
		if x.Tree != nil && x.Tree.Root != nil && fastNodeOK(x.Tree.Root, fs.fields) {
			fs.blocks[x.Name()] = x.Tree.Root
		}
	}
	return fs
}

var fastFuncs = map[string]bool{"eq": true, "ne": true, "and": true, "or": true, "not": true, "gt": true, "lt": true,
	"mask": true, "clip": true}

// fastNodeOK reports whether the renderer knows every node under n.
func fastNodeOK(n parse.Node, fields map[*parse.FieldNode][]fieldMemo) bool {
	switch n := n.(type) {
	case *parse.ListNode:
		if n == nil {
			return true
		}
		for _, c := range n.Nodes {
			if !fastNodeOK(c, fields) {
				return false
			}
		}
		return true
	case *parse.TextNode:
		return true
	case *parse.ActionNode:
		return fastPipeOK(n.Pipe, fields)
	case *parse.IfNode:
		return fastPipeOK(n.Pipe, fields) && fastNodeOK(n.List, fields) && fastNodeOK(n.ElseList, fields)
	case *parse.WithNode:
		return fastPipeOK(n.Pipe, fields) && fastNodeOK(n.List, fields) && fastNodeOK(n.ElseList, fields)
	case *parse.TemplateNode:
		return n.Pipe == nil || fastPipeOK(n.Pipe, fields)
	}
	return false
}

func fastPipeOK(p *parse.PipeNode, fields map[*parse.FieldNode][]fieldMemo) bool {
	if p == nil || len(p.Decl) > 0 || len(p.Cmds) != 1 {
		return false
	}
	args := p.Cmds[0].Args
	if id, ok := args[0].(*parse.IdentifierNode); ok {
		if !fastFuncs[id.Ident] {
			return false
		}
		args = args[1:]
	} else if len(args) != 1 {
		return false
	}
	for _, a := range args {
		switch a := a.(type) {
		case *parse.FieldNode:
			fields[a] = make([]fieldMemo, len(a.Ident))
		case *parse.DotNode, *parse.StringNode:
		case *parse.NumberNode:
			if !a.IsInt {
				return false
			}
		case *parse.PipeNode:
			if !fastPipeOK(a, fields) {
				return false
			}
		default:
			return false
		}
	}
	return true
}

// errSlow is the renderer giving up; Render runs text/template instead.
var errSlow = fmt.Errorf("prompts: not for the fast renderer")

type fastState struct {
	set   *fastSet
	buf   *bytes.Buffer
	depth int
}

// render writes block name with dot; false when it gave up.
func (fs *fastSet) render(buf *bytes.Buffer, name string, dot any) bool {
	if fs == nil {
		return false
	}
	root, ok := fs.blocks[name]
	if !ok {
		return false
	}
	s := &fastState{set: fs, buf: buf}
	return s.walk(root, reflect.ValueOf(dot)) == nil
}

func (s *fastState) walk(n parse.Node, dot reflect.Value) error {
	switch n := n.(type) {
	case *parse.ListNode:
		if n == nil {
			return nil
		}
		for _, c := range n.Nodes {
			if err := s.walk(c, dot); err != nil {
				return err
			}
		}
	case *parse.TextNode:
		s.buf.Write(n.Text)
	case *parse.ActionNode:
		v, err := s.pipe(n.Pipe, dot)
		if err != nil {
			return err
		}
		return s.print(v)
	case *parse.IfNode:
		return s.branch(n.Pipe, n.List, n.ElseList, dot, false)
	case *parse.WithNode:
		return s.branch(n.Pipe, n.List, n.ElseList, dot, true)
	case *parse.TemplateNode:
		root, ok := s.set.blocks[n.Name]
		if !ok || s.depth > 20 {
			return errSlow
		}
		next := reflect.Value{}
		if n.Pipe != nil {
			v, err := s.pipe(n.Pipe, dot)
			if err != nil {
				return err
			}
			next = v
		}
		s.depth++
		defer func() { s.depth-- }()
		return s.walk(root, next)
	default:
		return errSlow
	}
	return nil
}

func (s *fastState) branch(p *parse.PipeNode, list, elseList *parse.ListNode, dot reflect.Value, with bool) error {
	v, err := s.pipe(p, dot)
	if err != nil {
		return err
	}
	t, ok := truth(v)
	if !ok {
		return errSlow
	}
	if t {
		if with {
			dot = v
		}
		return s.walk(list, dot)
	}
	return s.walk(elseList, dot)
}

// print writes plain strings, integers and booleans; anything else (a type
// with its own String, a time, a missing value) is text/template's.
func (s *fastState) print(v reflect.Value) error {
	v = indirect(v)
	if !v.IsValid() || hasMethods(v.Type()) {
		return errSlow
	}
	switch v.Kind() {
	case reflect.String:
		s.buf.WriteString(v.String())
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		s.buf.WriteString(strconv.FormatInt(v.Int(), 10))
	case reflect.Bool:
		s.buf.WriteString(strconv.FormatBool(v.Bool()))
	default:
		return errSlow
	}
	return nil
}

func (s *fastState) pipe(p *parse.PipeNode, dot reflect.Value) (reflect.Value, error) {
	args := p.Cmds[0].Args
	id, ok := args[0].(*parse.IdentifierNode)
	if !ok {
		return s.arg(args[0], dot)
	}
	vals := make([]reflect.Value, 0, 4)
	for i, a := range args[1:] {
		// and/or stop at the first argument that decides, as text/template does.
		if i > 0 && (id.Ident == "and" || id.Ident == "or") {
			t, ok := truth(vals[i-1])
			if !ok {
				return reflect.Value{}, errSlow
			}
			if t == (id.Ident == "or") {
				return vals[i-1], nil
			}
		}
		v, err := s.arg(a, dot)
		if err != nil {
			return v, err
		}
		vals = append(vals, v)
	}
	return call(id.Ident, vals)
}

func (s *fastState) arg(n parse.Node, dot reflect.Value) (reflect.Value, error) {
	switch n := n.(type) {
	case *parse.DotNode:
		return dot, nil
	case *parse.StringNode:
		return reflect.ValueOf(n.Text), nil
	case *parse.NumberNode:
		if int64(int(n.Int64)) != n.Int64 {
			return reflect.Value{}, errSlow
		}
		return reflect.ValueOf(int(n.Int64)), nil // an int, as text/template makes it
	case *parse.PipeNode:
		return s.pipe(n, dot)
	case *parse.FieldNode:
		v, memo := dot, s.set.fields[n]
		for i, name := range n.Ident {
			var ok bool
			if v, ok = field(v, name, &memo[i]); !ok {
				return v, errSlow
			}
		}
		return v, nil
	}
	return reflect.Value{}, errSlow
}
