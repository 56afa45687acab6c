package gitsource

import (
	"fmt"
	"io"

	"github.com/go-git/go-git/v5/plumbing/storer"
	"github.com/go-git/go-git/v5/storage/filesystem"
)

// limitedStorage bounds the pack data one fetch may write. go-git streams a
// fetched pack into the storer's PackfileWriter when the storer has one, so
// wrapping it is the one place that sees every byte the remote sends, for
// every transport.
type limitedStorage struct {
	*filesystem.Storage
	max int64
}

var _ storer.PackfileWriter = limitedStorage{}

func (s limitedStorage) PackfileWriter() (io.WriteCloser, error) {
	w, err := s.Storage.PackfileWriter()
	if err != nil {
		return nil, err
	}
	return &limitWriter{w: w, left: s.max, max: s.max}, nil
}

type limitWriter struct {
	w    io.WriteCloser
	left int64
	max  int64
}

func (l *limitWriter) Write(p []byte) (int, error) {
	if int64(len(p)) > l.left {
		l.left = -1
		return 0, fmt.Errorf("%w: the pack exceeds %d bytes", ErrTooLarge, l.max)
	}
	l.left -= int64(len(p))
	return l.w.Write(p)
}

// Close closes the underlying writer, which, after an aborted pack, fails on
// the truncated data and leaves a temporary file that the caller removes
// with the cache.
func (l *limitWriter) Close() error {
	err := l.w.Close()
	if l.left < 0 {
		return nil // the Write error is the one to report
	}
	return err
}
