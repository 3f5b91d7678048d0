package prompts

import (
	"cmp"
	"reflect"
	"strings"
)

// The fast renderer's values (fast.go): fields, truth, and the functions it
// runs, each as text/template does them, or giving up.

// indirect follows interfaces and pointers; a nil one gives the zero Value.
func indirect(v reflect.Value) reflect.Value {
	for v.IsValid() && (v.Kind() == reflect.Interface || v.Kind() == reflect.Pointer) {
		if v.IsNil() {
			return reflect.Value{}
		}
		v = v.Elem()
	}
	return v
}

// indirectInterface follows interfaces only, as text/template does for
// truth, comparisons and function arguments.
func indirectInterface(v reflect.Value) reflect.Value {
	for v.IsValid() && v.Kind() == reflect.Interface {
		if v.IsNil() {
			return reflect.Value{}
		}
		v = v.Elem()
	}
	return v
}

func field(v reflect.Value, name string, memo *fieldMemo) (reflect.Value, bool) {
	v = indirect(v)
	if !v.IsValid() {
		return v, false
	}
	switch v.Kind() {
	case reflect.Struct:
		hit := memo.last.Load()
		if hit == nil || hit.t != v.Type() {
			hit = &fieldHit{t: v.Type(), idx: plainField(v.Type(), name)}
			memo.last.Store(hit)
		}
		if hit.idx == nil {
			return reflect.Value{}, false
		}
		f, err := v.FieldByIndexErr(hit.idx)
		return f, err == nil
	case reflect.Map:
		if v.Type().Key() != stringType || hasMethods(v.Type()) {
			return reflect.Value{}, false
		}
		f := v.MapIndex(reflect.ValueOf(name))
		return f, f.IsValid() // missingkey=error: text/template's error
	}
	return reflect.Value{}, false
}

// plainField is the index of an exported field name of t that no method of
// t or *t shadows, or nil.
func plainField(t reflect.Type, name string) []int {
	if _, ok := reflect.PointerTo(t).MethodByName(name); ok {
		return nil
	}
	f, ok := t.FieldByName(name)
	if !ok || !f.IsExported() {
		return nil
	}
	return f.Index
}

var stringType, intType = reflect.TypeFor[string](), reflect.TypeFor[int]()

func hasMethods(t reflect.Type) bool {
	return t.NumMethod() > 0 || reflect.PointerTo(t).NumMethod() > 0
}

// truth is text/template's: false for a zero number, an empty string or
// collection, nil; true for any struct.
func truth(v reflect.Value) (bool, bool) {
	v = indirectInterface(v)
	if !v.IsValid() {
		return false, false
	}
	switch v.Kind() {
	case reflect.Array, reflect.Map, reflect.Slice, reflect.String:
		return v.Len() > 0, true
	case reflect.Bool:
		return v.Bool(), true
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return v.Int() != 0, true
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return v.Uint() != 0, true
	case reflect.Chan, reflect.Func, reflect.Pointer, reflect.Interface:
		return !v.IsNil(), true
	case reflect.Struct:
		return true, true
	}
	return false, false
}

var boolValues = [2]reflect.Value{reflect.ValueOf(false), reflect.ValueOf(true)}

// call runs a function of fastFuncs on plain strings, integers and booleans.
func call(name string, args []reflect.Value) (reflect.Value, error) {
	if (name == "and" || name == "or") && len(args) > 0 {
		return args[len(args)-1], nil // the earlier ones did not decide (see pipe)
	}
	for i := range args {
		args[i] = indirectInterface(args[i])
		if !args[i].IsValid() {
			return reflect.Value{}, errSlow
		}
	}
	switch {
	case name == "not" && len(args) == 1:
		t, ok := truth(args[0])
		if !ok {
			return reflect.Value{}, errSlow
		}
		return boolValues[b2i(!t)], nil
	case name == "eq" && len(args) >= 2:
		for _, a := range args[1:] {
			c, ok := compare(args[0], a)
			if !ok {
				return reflect.Value{}, errSlow
			}
			if c == 0 {
				return boolValues[1], nil
			}
		}
		return boolValues[0], nil
	case (name == "ne" || name == "gt" || name == "lt") && len(args) == 2:
		c, ok := compare(args[0], args[1])
		if !ok || name != "ne" && args[0].Kind() == reflect.Bool {
			return reflect.Value{}, errSlow
		}
		return boolValues[b2i(name == "ne" && c != 0 || name == "gt" && c > 0 || name == "lt" && c < 0)], nil
	case name == "mask" && len(args) == 1 && args[0].Type() == stringType:
		return reflect.ValueOf(Mask(args[0].String())), nil
	case name == "clip" && len(args) == 2 && args[0].Type() == intType && args[1].Type() == stringType:
		return reflect.ValueOf(Clip(int(args[0].Int()), args[1].String())), nil
	}
	return reflect.Value{}, errSlow
}

// compare orders two strings, two signed integers or two booleans (false
// before true); false for anything else, which text/template decides.
func compare(a, b reflect.Value) (int, bool) {
	switch {
	case a.Kind() == reflect.String && b.Kind() == reflect.String:
		return strings.Compare(a.String(), b.String()), true
	case isInt(a) && isInt(b):
		return cmp.Compare(a.Int(), b.Int()), true
	case a.Kind() == reflect.Bool && b.Kind() == reflect.Bool:
		return b2i(a.Bool()) - b2i(b.Bool()), true
	}
	return 0, false
}

func isInt(v reflect.Value) bool {
	switch v.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return true
	}
	return false
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}
