"""A stand-in shim root for the compiler driver's tests (not Leoflow's shim)."""
