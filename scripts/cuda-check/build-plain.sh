#!/usr/bin/env bash
# Builds build/Release/vidgan_native.node by hand (no node-gyp) against the libtorch of python3's torch,
# without optical flow (no OpenCV there): for the CUDA check on the device machine.
set -euo pipefail
cd "$(dirname "$0")/../.."
if [ -z "${TORCH_INC:-}" ]; then
  T=$(python3 -c "import torch, os; print(os.path.dirname(torch.__file__))")
  TORCH_INC="-I$T/include -I$T/include/torch/csrc/api/include"
  TORCH_LIB=$T/lib
  ABI=$(python3 -c "import torch; print(int(torch.compiled_with_cxx11_abi()))")
fi
CUDA_INC=""; [ -d /usr/local/cuda/include ] && CUDA_INC="-I/usr/local/cuda/include"
mkdir -p .dev/obj build/Release
printf '#include <napi.h>\nnamespace vidgan { void registerFlow(Napi::Env, Napi::Object) {} }\n' > .dev/obj/flow-none.cpp
FLAGS="-std=${STD:-c++17} -O2 -fPIC -fexceptions -frtti -w -DNAPI_VERSION=8 -DNAPI_CPP_EXCEPTIONS -D_GLIBCXX_USE_CXX11_ABI=${ABI:-1} -I.dev/inc -Inative $TORCH_INC $CUDA_INC"
pids=()
for f in native/networks.cpp native/model.cpp native/addon.cpp native/tflite-graph.cpp .dev/obj/flow-none.cpp; do
  g++ $FLAGS -c "$f" -o ".dev/obj/$(basename "$f" .cpp).o" 2> ".dev/obj/$(basename "$f" .cpp).err" & pids+=($!)
done
fail=0
for p in "${pids[@]}"; do wait "$p" || fail=1; done
if [ $fail = 1 ]; then grep -h -m 8 -B2 -A3 "error" .dev/obj/*.err | head -80; exit 1; fi
LIBS="-ltorch -ltorch_cpu -lc10"
[ -f "$TORCH_LIB/libtorch_cuda.so" ] && LIBS="$LIBS -ltorch_cuda -lc10_cuda"
g++ -shared -o build/Release/vidgan_native.node .dev/obj/*.o -L"$TORCH_LIB" -Wl,-rpath,"$TORCH_LIB" -Wl,--no-as-needed $LIBS
echo "built build/Release/vidgan_native.node with $LIBS"
