#pragma once
#define STDNET_VERSION "0.1.0"
