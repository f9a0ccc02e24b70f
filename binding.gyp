{
  "variables": {
    "prunas_cflags": ["-std=c++17", "-O3", "-Wall", "-Wno-unused-parameter", "-fexceptions"],
    "prunas_defines": ["NAPI_VERSION=8", "NODE_ADDON_API_DISABLE_DEPRECATED", "NAPI_CPP_EXCEPTIONS"],
    "prunas_includes": ["native", "<!(node -p \"require('node-addon-api').include_dir\")"]
  },
  "targets": [
    {
      "target_name": "prunas_avx2",
      "type": "static_library",
      "sources": ["<!@(node scripts/native-sources.cjs avx2)"],
      "include_dirs": ["<@(prunas_includes)"],
      "defines": ["<@(prunas_defines)"],
      "cflags!": ["-fno-exceptions"],
      "cflags_cc!": ["-fno-exceptions", "-fno-rtti", "-std=gnu++17"],
      "cflags_cc": ["<@(prunas_cflags)", "-fPIC", "-mavx2", "-mfma"]
    },
    {
      "target_name": "prunas_avx512",
      "type": "static_library",
      "sources": ["<!@(node scripts/native-sources.cjs avx512)"],
      "include_dirs": ["<@(prunas_includes)"],
      "defines": ["<@(prunas_defines)"],
      "cflags!": ["-fno-exceptions"],
      "cflags_cc!": ["-fno-exceptions", "-fno-rtti", "-std=gnu++17"],
      "cflags_cc": ["<@(prunas_cflags)", "-fPIC", "-mavx512f", "-mavx2", "-mfma"]
    },
    {
      "target_name": "prunas",
      "sources": ["<!@(node scripts/native-sources.cjs portable)"],
      "dependencies": ["prunas_avx2", "prunas_avx512"],
      "include_dirs": ["<@(prunas_includes)"],
      "defines": ["<@(prunas_defines)"],
      "cflags!": ["-fno-exceptions"],
      "cflags_cc!": ["-fno-exceptions", "-fno-rtti", "-std=gnu++17"],
      "cflags_cc": ["<@(prunas_cflags)"],
      "libraries": ["-lpthread"]
    }
  ]
}
