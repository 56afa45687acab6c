package selector_test

import (
	"fmt"

	"github.com/tabbynet/tabby/policies/selector"
)

func ExampleParse() {
	sel, err := selector.Parse(`tier in {'web', 'api', 'web'} && !!has(app) && env != "dev"`)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(sel)
	fmt.Println(sel.Matches(selector.Map{"app": "shop", "tier": "api"}))
	fmt.Println(sel.Matches(selector.Map{"app": "shop", "tier": "api", "env": "dev"}))
	// Output:
	// tier in {"api", "web"} && has(app) && env != "dev"
	// true
	// false
}

func ExampleParseError() {
	_, err := selector.Parse(`app = "web"`)
	fmt.Println(err)
	// Output:
	// selector "app = \"web\"": column 5: want == or !=, got a single "=": use == to test equality
}

func ExampleSelector_Requirements() {
	sel := selector.MustParse(`app == "shop" && (tier == "web" || tier == "api") && !has(canary)`)
	for _, r := range sel.Requirements() {
		fmt.Println(r.Key, r.Values)
	}
	// Output:
	// app [shop]
	// tier [api web]
}
