package deliver

import "sync"

// later is a value computed once, in the background from begin or on the
// first get; every get waits for it and returns the same value.
type later[T any] struct {
	start sync.Once
	f     func() T
	done  chan struct{}
	v     T
}

// lazy returns a later that computes f when first begun or asked for.
func lazy[T any](f func() T) *later[T] {
	return &later[T]{f: f, done: make(chan struct{})}
}

// begin starts computing in the background, once.
func (l *later[T]) begin() {
	l.start.Do(func() {
		go func() {
			l.v = l.f()
			close(l.done)
		}()
	})
}

// get waits for the value.
func (l *later[T]) get() T {
	l.begin()
	<-l.done
	return l.v
}

// perRoom holds one background read per room.
type perRoom[T any] map[int64]*later[T]

// prefetch starts f for every room at once.
func prefetch[T any](rooms []int64, f func(room int64) T) perRoom[T] {
	p := perRoom[T]{}
	for _, room := range rooms {
		l := lazy(func() T { return f(room) })
		l.begin()
		p[room] = l
	}
	return p
}
