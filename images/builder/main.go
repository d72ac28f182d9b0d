// ringcast-image-assemble stacks uncompressed layer tarballs into one linux/amd64 image and writes it
// as a docker-archive, without a Docker daemon or a registry:
//
//	ringcast-image-assemble -ref images.invalid/ringcast:dev -out ringcast.tar \
//	  -layer base.tar -layer app.tar -entrypoint '["node","/app/dist/node/cli/main.js"]' -cmd '["serve"]' \
//	  -user 10001:10001 -workdir /app -env NODE_ENV=production -expose 8000/tcp -label k=v
//
// The image config has a fixed creation time, so the same layers always give the same image digest.
package main

import (
	"compress/gzip"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/google/go-containerregistry/pkg/name"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/google/go-containerregistry/pkg/v1/tarball"
)

type repeated []string

func (r *repeated) String() string     { return strings.Join(*r, ",") }
func (r *repeated) Set(v string) error { *r = append(*r, v); return nil }

type options struct {
	ref, out, entrypoint, cmd, user, workdir string
	layers, env, expose, labels              repeated
}

func parseJSONList(flagName, value string) ([]string, error) {
	if value == "" {
		return nil, nil
	}
	var list []string
	if err := json.Unmarshal([]byte(value), &list); err != nil {
		return nil, fmt.Errorf("-%s must be a JSON array of strings: %w", flagName, err)
	}
	return list, nil
}

func build(o options) error {
	if o.ref == "" || o.out == "" || len(o.layers) == 0 {
		return fmt.Errorf("-ref, -out and at least one -layer are required")
	}
	tag, err := name.NewTag(o.ref)
	if err != nil {
		return fmt.Errorf("-ref %q: %w", o.ref, err)
	}
	entrypoint, err := parseJSONList("entrypoint", o.entrypoint)
	if err != nil {
		return err
	}
	cmd, err := parseJSONList("cmd", o.cmd)
	if err != nil {
		return err
	}

	img := empty.Image
	for _, path := range o.layers {
		layer, err := tarball.LayerFromFile(path, tarball.WithCompressionLevel(gzip.BestSpeed))
		if err != nil {
			return fmt.Errorf("layer %s: %w", path, err)
		}
		if img, err = mutate.AppendLayers(img, layer); err != nil {
			return fmt.Errorf("layer %s: %w", path, err)
		}
	}

	configFile, err := img.ConfigFile()
	if err != nil {
		return err
	}
	configFile = configFile.DeepCopy()
	configFile.OS = "linux"
	configFile.Architecture = "amd64"
	configFile.Created = v1.Time{Time: time.Unix(0, 0).UTC()}
	configFile.Config.Entrypoint = entrypoint
	configFile.Config.Cmd = cmd
	configFile.Config.User = o.user
	configFile.Config.WorkingDir = o.workdir
	configFile.Config.Env = append([]string{"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"}, o.env...)
	if len(o.expose) > 0 {
		configFile.Config.ExposedPorts = map[string]struct{}{}
		for _, port := range o.expose {
			configFile.Config.ExposedPorts[port] = struct{}{}
		}
	}
	if len(o.labels) > 0 {
		configFile.Config.Labels = map[string]string{}
		for _, label := range o.labels {
			key, value, ok := strings.Cut(label, "=")
			if !ok {
				return fmt.Errorf("-label %q: expected key=value", label)
			}
			configFile.Config.Labels[key] = value
		}
	}
	if img, err = mutate.ConfigFile(img, configFile); err != nil {
		return err
	}

	tmp := o.out + ".tmp"
	if err := tarball.WriteToFile(tmp, tag, img); err != nil {
		_ = os.Remove(tmp)
		return fmt.Errorf("writing %s: %w", o.out, err)
	}
	if err := os.Rename(tmp, o.out); err != nil {
		return err
	}
	digest, err := img.Digest()
	if err != nil {
		return err
	}
	fmt.Printf("%s %s\n", tag.String(), digest.String())
	return nil
}

func main() {
	var o options
	flag.StringVar(&o.ref, "ref", "", "image reference written into the archive, e.g. images.invalid/ringcast:dev")
	flag.StringVar(&o.out, "out", "", "output docker-archive path")
	flag.Var(&o.layers, "layer", "uncompressed layer tarball, bottom first (repeatable)")
	flag.StringVar(&o.entrypoint, "entrypoint", "", `entrypoint as a JSON array, e.g. ["node","main.js"]`)
	flag.StringVar(&o.cmd, "cmd", "", "default arguments as a JSON array")
	flag.StringVar(&o.user, "user", "", "user[:group] the container runs as")
	flag.StringVar(&o.workdir, "workdir", "", "working directory")
	flag.Var(&o.env, "env", "KEY=VALUE added after PATH (repeatable)")
	flag.Var(&o.expose, "expose", "exposed port, e.g. 8000/tcp (repeatable)")
	flag.Var(&o.labels, "label", "label key=value (repeatable)")
	flag.Parse()
	if err := build(o); err != nil {
		fmt.Fprintln(os.Stderr, "ringcast-image-assemble:", err)
		os.Exit(1)
	}
}
