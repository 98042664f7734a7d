"""Chapter kits: code that a few chapters share about their own subject, not the book's core.

``companion`` comes in two layers. The **core** (``companion.data``, ``settings``, the device
helpers ``torch_utils``/``keras_utils``/``device_plan``/``tf_start``, saving in ``artifacts``,
``metadata``, ``torch_saving``/``keras_saving``, ``plotting``, ``early_stopping``) and the
**yardstick** (``classifier``, ``frechet``, ``class_spread``, ``quality``, ``neighbours``,
``inception``) are what a reader copies into a project of their own. The **kits** in this
sub-package belong to particular chapters:

* :mod:`companion.kits.toy1d`: a 1-D GAN in NumPy (chapters 1 and 2);
* :mod:`companion.kits.curves`: points on a curve (chapter 3);
* :mod:`companion.kits.encoding` and :mod:`companion.kits.integer_patterns`: one-hot encoding and
  the integer-pattern GAN (chapters 4 and 7);
* :mod:`companion.kits.dcgan` and :mod:`companion.kits.keras_dcgan`: chapter 6's DCGAN for the
  chapters that train it again (10 and 11);
* :mod:`companion.kits.conditioning`: class labels for conditional generators (chapters 8 and 9);
* :mod:`companion.kits.peers`: the stored peer runs set beside chapters 5 and 6.
"""
