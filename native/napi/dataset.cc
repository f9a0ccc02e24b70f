// Dataset: a JS handle on a native dataset. The data crosses the boundary
// once, at construction; batches are assembled natively. dispose() frees the
// memory at once; jobs in flight keep their own reference until they end.
#include <memory>

#include "data/dataset.h"
#include "napi/families.h"
#include "napi/kernel_binding.h"

namespace prunas::napi {

namespace {

// Marks Dataset handles so other families can recognise them (dataset_of).
const napi_type_tag kDatasetTag = {0x7072756e61734453ULL, 0x6461746173657431ULL};

class DatasetHandle : public Napi::ObjectWrap<DatasetHandle> {
 public:
  static Napi::Function define(Napi::Env env) {
    return DefineClass(env, "Dataset",
                       {InstanceMethod<&DatasetHandle::fill_batch>("fillBatch"),
                        InstanceMethod<&DatasetHandle::dispose>("dispose"),
                        InstanceAccessor<&DatasetHandle::size>("size")});
  }

  // new Dataset({images: Uint8Array, labels: Int32Array, height, width, channels, classes})
  explicit DatasetHandle(const Napi::CallbackInfo& info) : Napi::ObjectWrap<DatasetHandle>(info) {
    try {
      Args a(info, "Dataset");
      const int height = static_cast<int>(a.integer("height", 1, 1 << 15));
      const int width = static_cast<int>(a.integer("width", 1, 1 << 15));
      const int channels = static_cast<int>(a.integer("channels", 1, 4));
      const int classes = static_cast<int>(a.integer("classes", 1, 1 << 20));
      auto labels = a.i32("labels", -1);
      auto images = a.u8("images", labels.length * height * width * channels);
      dataset_ = std::make_shared<Dataset>(std::vector<uint8_t>(images.data, images.data + images.length),
                                           std::vector<int32_t>(labels.data, labels.data + labels.length), height,
                                           width, channels, classes);
      napi_type_tag_object(info.Env(), info.This(), &kDatasetTag);
    } catch (const Napi::Error&) {
      throw;
    } catch (const std::exception& e) {
      throw_js(info.Env(), e);
    }
  }

  std::shared_ptr<const Dataset> get(Napi::Env env) const {
    if (!dataset_) throw Napi::Error::New(env, "Dataset: used after dispose()");
    return dataset_;
  }

 private:
  Napi::Value size(const Napi::CallbackInfo& info) {
    return Napi::Number::New(info.Env(), dataset_ ? static_cast<double>(dataset_->size()) : 0.0);
  }

  Napi::Value dispose(const Napi::CallbackInfo& info) {
    dataset_.reset();
    return info.Env().Undefined();
  }

  // fillBatch({indices: Int32Array, x: Float32Array, y: Int32Array, pad, hflip, mean, std, seed, counter})
  Napi::Value fill_batch(const Napi::CallbackInfo& info) {
    try {
      auto dataset = get(info.Env());
      Args a(info, "Dataset.fillBatch");
      auto indices = a.i32("indices", -1);
      auto x = a.f32("x", indices.length * dataset->sample_size());
      auto y = a.i32("y", indices.length);
      Augmentation aug;
      aug.pad = static_cast<int>(a.integer("pad", 0, 64, 0));
      aug.hflip = a.boolean("hflip", false);
      auto mean = a.f32("mean", dataset->channels());
      auto std = a.f32("std", dataset->channels());
      aug.mean.assign(mean.data, mean.data + mean.length);
      aug.std.assign(std.data, std.data + std.length);
      for (float s : aug.std)
        if (!(s > 0.0f)) throw_range("Dataset.fillBatch: std values must be > 0");
      const auto seed = static_cast<uint64_t>(a.integer("seed", 0, (1LL << 53) - 1));
      const auto counter = static_cast<uint64_t>(a.integer("counter", 0, (1LL << 53) - 1, 0));
      dataset->fill_batch(indices.data, indices.length, aug, seed, counter, x.data, y.data);
      return info.Env().Undefined();
    } catch (const Napi::Error&) {
      throw;
    } catch (const std::exception& e) {
      throw_js(info.Env(), e);
    }
  }

  std::shared_ptr<Dataset> dataset_;
};

// permutation({out: Int32Array, seed, counter}): a seeded shuffle of [0, out.length).
KernelJob parse_permutation(Args& a) {
  auto out = a.i32("out", -1);
  const auto seed = static_cast<uint64_t>(a.integer("seed", 0, (1LL << 53) - 1));
  const auto counter = static_cast<uint64_t>(a.integer("counter", 0, (1LL << 53) - 1, 0));
  return [=] {
    const auto p = permutation(out.length, seed, counter);
    std::copy(p.begin(), p.end(), out.data);
    return kNoResult;
  };
}

}  // namespace

std::shared_ptr<const Dataset> dataset_of(const Napi::Value& value, const std::string& where) {
  bool tagged = false;
  if (value.IsObject()) napi_check_object_type_tag(value.Env(), value, &kDatasetTag, &tagged);
  if (!tagged) throw_type(where + " must be a native Dataset handle, got " + describe(value));
  auto* handle = Napi::ObjectWrap<DatasetHandle>::Unwrap(value.As<Napi::Object>());
  return handle->get(value.Env());
}

void init_data(Napi::Env env, Napi::Object exports) {
  exports.Set("Dataset", DatasetHandle::define(env));
  export_kernel(env, exports, "permutation", parse_permutation);
}

}  // namespace prunas::napi
