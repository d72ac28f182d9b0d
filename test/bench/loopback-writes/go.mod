module ringcast.dev/bench/loopback-writes

go 1.26
