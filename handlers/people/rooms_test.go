package people

import (
	"testing"

	"github.com/qiao-community/qiao/storage"
)

func TestParseFlat(t *testing.T) {
	tests := []struct {
		in   string
		want string // "" when refused
	}{
		{"3栋1单元201", "3栋1单元201"},
		{"3号楼1单元201", "3栋1单元201"},
		{"3幢1单元201室", "3栋1单元201"},
		{"3座1单元201", "3栋1单元201"},
		{"三栋一单元二零一", "3栋1单元201"},
		{"十二栋二单元1502", "12栋2单元1502"},
		{"三号楼 一单元 三百零一", "3栋1单元301"},
		{"3 栋 1 单元 201", "3栋1单元201"},
		{"３栋１单元２０１", "3栋1单元201"},
		{"3-1-201", "3栋1单元201"},
		{"3－1－201", "3栋1单元201"},
		{"3栋201", "3栋201"},
		{"3-201", "3栋201"},
		{"3号201号", "3栋201"},
		{"3栋1单元200", ""}, // no door 0
		{"3栋1单元001", ""}, // no floor 0
		{"0栋1单元201", ""}, // no building 0
		{"3栋0单元201", ""}, // no unit 0
		{"3栋1单元", ""},    // no room
		{"我家在三栋", ""},    // not a flat
		{"3栋1单元201;drop", ""},
		{"", ""},
	}
	for _, tt := range tests {
		f, ok := ParseFlat(tt.in)
		got := ""
		if ok {
			got = f.String()
		}
		if got != tt.want {
			t.Errorf("ParseFlat(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestBuildingOf(t *testing.T) {
	buildings := []storage.Building{{Key: "b1", Name: "1栋"}, {Key: "b7", Name: "七号楼"}, {Key: "club", Name: "会所"}}
	for _, tt := range []struct {
		building int
		key      string
		ok       bool
	}{{1, "b1", true}, {7, "b7", true}, {9, "", false}} {
		if key, ok := buildingOf(Flat{Building: tt.building, Room: 101}, buildings); key != tt.key || ok != tt.ok {
			t.Errorf("building %d: %q %v, want %q %v", tt.building, key, ok, tt.key, tt.ok)
		}
	}
	if key, ok := buildingOf(Flat{Building: 9, Room: 101}, []storage.Building{{Key: "east", Name: "东区"}}); key != "" || !ok {
		t.Errorf("unnumbered buildings: %q %v, want any flat accepted", key, ok)
	}
}
