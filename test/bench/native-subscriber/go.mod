module ringcast.dev/bench/native-subscriber

go 1.26
