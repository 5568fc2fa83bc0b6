module example.com/__APP__

go 1.22
