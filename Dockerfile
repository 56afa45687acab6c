# syntax=docker/dockerfile:1

# tabby: one binary for the controller and the node agent.
#
#   make docker-build IMAGE=tabby:dev
#
# The image runs as the numeric non-root user 65532, which is all the
# controller needs. The node agent's DaemonSet grants the capabilities it
# needs (CAP_BPF, CAP_NET_ADMIN) in its securityContext.

ARG GO_VERSION=1.26

FROM --platform=$BUILDPLATFORM golang:${GO_VERSION}-bookworm AS build
WORKDIR /src

# Dependencies first, so a source change does not download them again.
COPY go.mod go.sum ./
RUN go mod download

COPY . .
ARG TARGETOS TARGETARCH
ARG VERSION=dev
ARG COMMIT=unknown
RUN --mount=type=cache,target=/root/.cache/go-build \
    CGO_ENABLED=0 GOOS=$TARGETOS GOARCH=$TARGETARCH \
    go build -trimpath \
      -ldflags "-s -w \
        -X github.com/tabbynet/tabby/internal/version.Version=${VERSION} \
        -X github.com/tabbynet/tabby/internal/version.Commit=${COMMIT}" \
      -o /out/tabby ./cmd/tabby

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/tabby /tabby
USER 65532:65532
ENTRYPOINT ["/tabby"]
