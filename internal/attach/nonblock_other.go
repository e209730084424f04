//go:build !unix

package attach

// nonBlock is 0 where named pipes cannot take a file's place.
const nonBlock = 0
