//go:build unix

package attach

import "syscall"

// nonBlock opens without waiting (a named pipe opens at once).
const nonBlock = syscall.O_NONBLOCK
