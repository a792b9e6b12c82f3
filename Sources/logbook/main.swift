import Engine
import LogbookCLI

// One OpenBLAS kernel family on every host, selected while the process has one thread (`BLAS+KernelFamily.swift`).
BLAS.selectKernelFamily()
LogbookMain.run()
