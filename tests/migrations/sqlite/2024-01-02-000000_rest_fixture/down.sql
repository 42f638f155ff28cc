DROP TABLE tweet;
DROP TABLE bearer_doc;
DROP TABLE api_doc;
DROP TABLE api_token;
DROP TABLE api_key;
