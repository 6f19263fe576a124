# Default models (owner: models). See models/README.md.
#   make download-models   models/<name> from the repo, else the local cache, else built offline
#   make models            the same
#   make models-train      retrain all four from the packaged text (FORCE), 10-14 min on 2 cores
#   make models-quick      a small smoke run of the training pipeline into build/models-quick

download-models:
	models/download-models.sh

models: download-models

.PHONY: models-train models-quick
models-train:
	FORCE=1 models/download-models.sh

models-quick:
	scripts/install-deps.sh --models
	/usr/bin/python3 models/train/train.py --quick --out $(BUILD_DIR)/models-quick
