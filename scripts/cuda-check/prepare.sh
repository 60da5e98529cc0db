#!/usr/bin/env bash
# Prepares .dev/ (git-ignored through .git/info/exclude) for the CUDA check on a GPU machine that has
# python3 with a CUDA PyTorch but no Node.js, npm or OpenCV: bench/cuda.ts compiled to JavaScript with the
# two packages it needs, the N-API headers, and this machine's node binary (xz). Then, on the GPU machine,
# from the repository root: bash scripts/cuda-check/device-check.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
grep -qx '/.dev/' .git/info/exclude 2>/dev/null || echo /.dev/ >> .git/info/exclude
rm -rf .dev && mkdir -p .dev/inc .dev/js/node_modules/rxjs/dist
npx tsc --outDir .dev/js --rootDir . --module commonjs --target es2022 --esModuleInterop --skipLibCheck --strict bench/cuda.ts
cp node_modules/rxjs/package.json .dev/js/node_modules/rxjs/
cp -r node_modules/rxjs/dist/cjs .dev/js/node_modules/rxjs/dist/
cp -r node_modules/tslib .dev/js/node_modules/
ln -sfn ../../models .dev/js/models
node_include=$(dirname "$(dirname "$(readlink -f "$(command -v node)")")")/include/node
cp "$node_include"/{node_api.h,node_api_types.h,js_native_api.h,js_native_api_types.h} .dev/inc/
cp node_modules/node-addon-api/{napi.h,napi-inl.h,napi-inl.deprecated.h} .dev/inc/
xz -T0 -6 -c "$(readlink -f "$(command -v node)")" > .dev/node.xz
du -sh .dev
