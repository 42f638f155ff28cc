DROP TABLE note;
DROP TABLE message;
DROP TABLE relationship;
