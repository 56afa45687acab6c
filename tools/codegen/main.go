// Command controller-gen is controller-tools' generator with one addition:
// it knows the wire form of tabby's number-or-string types, which implement
// json.Marshaler and so cannot describe their own schema through markers.
//
//	controller-gen object paths=./api/...
//	controller-gen crd paths=./api/... output:crd:artifacts:config=config/crd/bases
//
// Only the "object" and "crd" generators are registered; tabby needs no other.
package main

import (
	"fmt"
	"os"

	apiextensionsv1 "k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1"
	"sigs.k8s.io/controller-tools/pkg/crd"
	"sigs.k8s.io/controller-tools/pkg/deepcopy"
	"sigs.k8s.io/controller-tools/pkg/genall"
	"sigs.k8s.io/controller-tools/pkg/loader"
	"sigs.k8s.io/controller-tools/pkg/markers"
)

const numorstringPkg = "github.com/tabbynet/tabby/api/numorstring"

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "controller-gen:", err)
		os.Exit(1)
	}
}

func run(args []string) error {
	crd.KnownPackages[numorstringPkg] = intOrStringTypes("Port", "Protocol")

	registry := &markers.Registry{}
	generators := map[string]genall.Generator{
		"crd":    crd.Generator{},
		"object": deepcopy.Generator{},
	}
	rules := map[string]genall.OutputRule{
		"dir":       genall.OutputToDirectory(""),
		"artifacts": genall.OutputArtifacts{},
	}
	for name, gen := range generators {
		if err := registry.Register(markers.Must(markers.MakeDefinition(name, markers.DescribesPackage, gen))); err != nil {
			return err
		}
		for ruleName, rule := range rules {
			defn := markers.Must(markers.MakeDefinition(fmt.Sprintf("output:%s:%s", name, ruleName), markers.DescribesPackage, rule))
			if err := registry.Register(defn); err != nil {
				return err
			}
		}
	}
	if err := genall.RegisterOptionsMarkers(registry); err != nil {
		return err
	}

	rt, err := genall.FromOptions(registry, args)
	if err != nil {
		return err
	}
	if len(rt.Generators) == 0 {
		return fmt.Errorf("no generator given; want object and/or crd")
	}
	if failed := rt.Run(); failed {
		return fmt.Errorf("generation failed")
	}
	return nil
}

// intOrStringTypes describes the named types as Kubernetes int-or-string
// values, the schema the API server requires for fields that accept both.
func intOrStringTypes(names ...string) crd.PackageOverride {
	return func(p *crd.Parser, pkg *loader.Package) {
		for _, name := range names {
			p.Schemata[crd.TypeIdent{Name: name, Package: pkg}] = apiextensionsv1.JSONSchemaProps{
				XIntOrString: true,
				AnyOf: []apiextensionsv1.JSONSchemaProps{
					{Type: "integer"},
					{Type: "string"},
				},
			}
		}
		p.AddPackage(pkg)
	}
}
