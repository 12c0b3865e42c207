{{ shout(params.region) }}-{{ params.region | reverse_str }}
