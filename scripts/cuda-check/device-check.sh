#!/usr/bin/env bash
# The CUDA check on the device machine: build the engine against python3's CUDA libtorch, run bench/cuda.
set -uo pipefail
cd "$(dirname "$0")/../.."
echo "== machine"
nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader
python3 -c "import torch; print('torch', torch.__version__, 'cuda', torch.version.cuda, 'available', torch.cuda.is_available(), 'cxx11abi', torch.compiled_with_cxx11_abi())"
g++ --version | head -1
NODE=$(command -v node || true)
if [ -z "$NODE" ]; then
  python3 -c "import lzma, shutil; shutil.copyfileobj(lzma.open('.dev/node.xz'), open('/tmp/node', 'wb'))" && chmod +x /tmp/node && NODE=/tmp/node
fi
echo "node $($NODE --version) at $NODE"
echo "== build"
start=$(date +%s)
bash scripts/cuda-check/build-plain.sh || { echo "c++17 failed; trying c++20"; STD=c++20 bash scripts/cuda-check/build-plain.sh; } || exit 1
echo "built in $(( $(date +%s) - start )) s"
mkdir -p .dev/js/build/Release && cp build/Release/vidgan_native.node .dev/js/build/Release/
echo "== bench/cuda"
cd .dev/js && BENCH_STEPS=${BENCH_STEPS:-20} "$NODE" bench/cuda.js
