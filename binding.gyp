{
  "targets": [
    {
      "target_name": "vidgan_native",
      "dependencies": ["vidgan_flow"],
      "sources": ["native/networks.cpp", "native/model.cpp", "native/addon.cpp", "native/tflite-graph.cpp"],
      "include_dirs": [
        "<!(node -p \"require('node-addon-api').include_dir\")",
        "<!@(node scripts/find-libtorch.js --include)"
      ],
      "defines": ["NAPI_VERSION=8", "NAPI_CPP_EXCEPTIONS", "<!@(node scripts/find-libtorch.js --defines)"],
      "cflags!": ["-fno-exceptions"],
      "cflags_cc!": ["-fno-exceptions", "-fno-rtti", "-std=gnu++17", "-std=gnu++14"],
      "cflags_cc": ["-std=c++17", "-O3", "-fexceptions", "-frtti", "-Wno-unused-parameter"],
      "ldflags": ["<!@(node scripts/find-libtorch.js --ldflags)"],
      "libraries": ["<!@(node scripts/find-libtorch.js --libs)"]
    },
    {
      "target_name": "vidgan_flow",
      "type": "static_library",
      "sources": ["native/flow.cpp"],
      "include_dirs": [
        "<!(node -p \"require('node-addon-api').include_dir\")",
        "<!@(node scripts/find-opencv.js --include)"
      ],
      "defines": ["NAPI_VERSION=8", "NAPI_CPP_EXCEPTIONS"],
      "cflags!": ["-fno-exceptions"],
      "cflags_cc!": ["-fno-exceptions", "-fno-rtti", "-std=gnu++17", "-std=gnu++14"],
      "cflags_cc": ["-std=c++17", "-O3", "-fPIC", "-fexceptions", "-frtti", "-Wno-unused-parameter"],
      "link_settings": { "libraries": ["<!@(node scripts/find-opencv.js --libs)"] }
    }
  ]
}
