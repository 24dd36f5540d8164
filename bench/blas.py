"""Which BLAS a process runs its matrix products on (bench/pytorch.py asks it about PyTorch's own process).

Apart from pytorch.py so that it can be tested without importing torch.
"""
import ctypes
import os

# Libraries whose presence in the process names the BLAS behind PyTorch's matrix products.
OPTIMISED = ("openblas", "mkl", "blis", "atlas", "armpl")


def loaded_libraries():
    """Shared libraries mapped into this process now (Linux), resolved through their links."""
    try:
        with open("/proc/self/maps", encoding="utf8") as maps:
            paths = {line.split()[-1] for line in maps if len(line.split()) >= 6 and line.split()[-1].startswith("/")}
    except OSError:
        return []
    return sorted({os.path.realpath(p) for p in paths if ".so" in p})


def openblas_config(path):
    """OpenBLAS's own description of its build (version, kernel target, threading), or None."""
    try:
        get = ctypes.CDLL(path).openblas_get_config
    except (OSError, AttributeError):
        return None
    get.restype = ctypes.c_char_p
    return get().decode("utf8", "replace").strip()


def classify(libraries, config, gflops, describe=openblas_config):
    """Which BLAS the mapped `libraries` and the build's `config` (torch.__config__.show()) name.

    The build's info alone does not say (Debian's build says BLAS_INFO=generic whichever libblas.so.3 the
    alternatives system provides), so the libraries loaded decide: an optimised one (OpenBLAS, MKL, BLIS,
    ATLAS, Arm PL) by name, MKL linked into torch itself by the build's info, else the reference BLAS.
    """
    blas = [p for p in libraries if "blas" in os.path.basename(p).lower() or any(k in p.lower() for k in OPTIMISED)]
    for path in blas:
        name = path.lower()
        if "openblas" in name:
            described = describe(path) or "OpenBLAS"
            threading = next((t for t in ("pthread", "openmp", "serial") if f"openblas-{t}" in name), None)
            label = f"{described.split(' NO_')[0].split(' DYNAMIC')[0]}" + (f", {threading} build" if threading else "")
            return {"kind": "openblas", "name": label, "detail": described, "library": path, "gflops": gflops}
        for key, label in (("mkl", "MKL"), ("blis", "BLIS"), ("atlas", "ATLAS"), ("armpl", "Arm PL")):
            if key in name:
                return {"kind": key, "name": label, "detail": None, "library": path, "gflops": gflops}
    if "BLAS_INFO=mkl" in config or "USE_MKL=ON" in config:
        # Wheels from pytorch.org link MKL statically: no library of its own to find.
        return {"kind": "mkl", "name": "MKL (linked into torch)", "detail": None, "library": None, "gflops": gflops}
    return {"kind": "reference", "name": "the reference BLAS (netlib)", "detail": None, "library": blas[0] if blas else None, "gflops": gflops}
